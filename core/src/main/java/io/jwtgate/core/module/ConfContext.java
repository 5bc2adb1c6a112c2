package io.jwtgate.core.module;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.LocationDraft;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import java.nio.file.Path;
import java.util.function.Supplier;

/** What a directive setter sees of the configuration being read. */
public interface ConfContext {

    /** The block the directive appears in. */
    Context context();

    /** The module's draft for the current http, server or location level, created on first use. */
    <D> D loc(LocSlot<D, ?> slot);

    /** The module's http-wide configuration. */
    <M> M main(MainSlot<M> slot);

    /**
     * The state object of the innermost enclosing block of the given type, as passed to {@link #parseBlock}
     * (for example the upstream being defined while its {@code server} lines are read).
     */
    <B> B block(Class<B> type);

    /** Reads the directives inside {@code d}'s block in the given context, with {@code state} on the block stack. */
    void parseBlock(ConfDirective d, Context context, Object state) throws ConfException;

    /**
     * Reads the block of {@code if} ({@code d}) with {@code state} on the block stack, as nginx's pseudo-location: in
     * a location the block is a configuration level of its own (context {@link Context#IF_LOCATION}), merged from
     * the enclosing location and not matched by any URI, whose merged configuration the returned supplier gives
     * once the whole configuration is merged (for {@code HttpExchange.useLocation}); in a server (context
     * {@link Context#IF_SERVER}) only the rewrite module's directives are allowed and the supplier gives
     * {@code null}.
     */
    Supplier<LocationConf> parseIfBlock(ConfDirective d, Object state)
            throws ConfException;

    /** The location being read, or {@code null} at the http and server levels. */
    LocationDraft location();

    /** A path from the configuration, resolved against the directory of the main configuration file. */
    Path resolvePath(String path);

    /** The variables of this configuration: define new ones, compile values that reference them. */
    Variables variables();

    /** Compiles a value that may contain {@code $variables}. */
    default ComplexValue compile(ConfDirective d, String text) throws ConfException {
        return variables().compile(text, d);
    }

    /** Logs a start-up warning located at {@code d}, as nginx's {@code [warn]} lines. */
    void warn(ConfDirective d, String message);

    /** Logs a start-up notice located at {@code d} (also printed by {@code -t}), as nginx's {@code [notice]} lines. */
    void notice(ConfDirective d, String message);
}
