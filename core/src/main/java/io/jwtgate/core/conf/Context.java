package io.jwtgate.core.conf;

/** The blocks a directive may appear in, as nginx names them. */
public enum Context {
    MAIN, EVENTS, HTTP, SERVER, LOCATION, UPSTREAM, MAP
}
