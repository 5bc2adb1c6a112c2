package io.jwtgate.core.conf;

/** The blocks a directive may appear in, as nginx names them. */
public enum Context {
    MAIN, EVENTS, HTTP, SERVER, LOCATION, UPSTREAM, MAP,
    /** The block of an {@code if} in a server: nginx's {@code NGX_HTTP_SIF_CONF}. */
    IF_SERVER,
    /** The block of an {@code if} in a location, a pseudo-location: nginx's {@code NGX_HTTP_LIF_CONF}. */
    IF_LOCATION,
    /** The block of {@code limit_except} in a location: nginx's {@code NGX_HTTP_LMT_CONF}. */
    LIMIT_EXCEPT
}
