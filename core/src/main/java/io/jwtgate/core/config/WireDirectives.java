package io.jwtgate.core.config;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.WireConf;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.DirectiveSetter;
import io.jwtgate.core.module.Setters;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * nginx's core directives of how a request's path is read, how a response goes out and how its connection ends:
 * {@code lingering_close}, {@code lingering_time}, {@code lingering_timeout}, {@code limit_rate},
 * {@code limit_rate_after}, {@code auth_delay}, {@code chunked_transfer_encoding}, {@code merge_slashes},
 * {@code msie_padding} (docs/configuration.md#lingering_close-lingering_time-lingering_timeout).
 */
final class WireDirectives {

    private WireDirectives() {
    }

    static List<Directive> directives(LocSlot<CoreLocConf.Draft, CoreLocConf> conf) {
        Set<Context> hsl = Directive.httpServerLocation();
        // nginx allows limit_rate in a location's if, as a pseudo-location
        Set<Context> hslIf = EnumSet.of(Context.HTTP, Context.SERVER, Context.LOCATION, Context.IF_LOCATION);
        return List.of(
                Directive.of("lingering_close", hsl, Arity.TAKE1, Setters.oneOf(conf,
                        Map.of("off", WireConf.LINGERING_OFF, "on", WireConf.LINGERING_ON,
                                "always", WireConf.LINGERING_ALWAYS),
                        c -> c.wire.lingeringClose, (c, v) -> c.wire.lingeringClose = v)),
                Directive.of("lingering_time", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.wire.lingeringTimeMs, (c, v) -> c.wire.lingeringTimeMs = v)),
                Directive.of("lingering_timeout", hsl, Arity.TAKE1, Setters.millis(conf,
                        c -> c.wire.lingeringTimeoutMs, (c, v) -> c.wire.lingeringTimeoutMs = v)),
                Directive.of("limit_rate", hslIf, Arity.TAKE1, constantSize("limit_rate",
                        Setters.bytes(conf, c -> c.wire.limitRate, (c, v) -> c.wire.limitRate = v))),
                Directive.of("limit_rate_after", hslIf, Arity.TAKE1, constantSize("limit_rate_after",
                        Setters.bytes(conf, c -> c.wire.limitRateAfter, (c, v) -> c.wire.limitRateAfter = v))),
                Directive.of("auth_delay", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.wire.authDelayMs, (c, v) -> c.wire.authDelayMs = v)),
                Directive.of("chunked_transfer_encoding", hsl, Arity.TAKE1, Setters.flag(conf,
                        c -> c.wire.chunkedTransferEncoding, (c, v) -> c.wire.chunkedTransferEncoding = v)),
                Directive.of("merge_slashes", EnumSet.of(Context.HTTP, Context.SERVER), Arity.TAKE1,
                        Setters.flag(conf, c -> c.wire.mergeSlashes, (c, v) -> c.wire.mergeSlashes = v)),
                Directive.of("msie_padding", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.wire.msiePadding, (c, v) -> c.wire.msiePadding = v)));
    }

    /**
     * A size, as nginx's; nginx also takes variables here, which jwtgate refuses by name rather than misread
     * ({@code set $limit_rate} sets the rate per request).
     */
    private static DirectiveSetter constantSize(String name, DirectiveSetter size) {
        return (cx, d) -> {
            if (d.arg(0).contains("$")) {
                throw d.error("variables in \"%s\" are not supported by jwtgate yet: use \"set $limit_rate\" "
                        + "(docs/configuration.md#limit_rate-limit_rate_after)", name);
            }
            size.set(cx, d);
        };
    }
}
