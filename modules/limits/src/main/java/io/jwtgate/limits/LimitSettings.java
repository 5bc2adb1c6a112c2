package io.jwtgate.limits;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.Setters;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code limit_req} and {@code limit_conn} share at every level: {@code PREFIX_status} (the status of a rejected
 * request, 400 to 599, default 503), {@code PREFIX_log_level} ({@code info}, {@code notice}, {@code warn} or
 * {@code error}, the default) and {@code PREFIX_dry_run} ({@code off} by default). Each is inherited from the level
 * above when a level does not set it, nginx's {@code ngx_conf_merge_*_value}.
 *
 * @param status the status of a rejected request
 * @param logLevel the level of the line about a rejected request
 * @param dryRun whether requests are only counted and logged, never rejected or delayed
 */
public record LimitSettings(int status, ErrorLogLevel logLevel, boolean dryRun) {

    /** nginx's defaults: 503, {@code error}, off. */
    public static final LimitSettings DEFAULTS = new LimitSettings(503, ErrorLogLevel.ERROR, false);

    private static final List<ErrorLogLevel> LOG_LEVELS = List.of(ErrorLogLevel.INFO, ErrorLogLevel.NOTICE,
            ErrorLogLevel.WARN, ErrorLogLevel.ERROR);

    /** What one level wrote; {@code null} for what it did not set. */
    public static final class Draft {
        Integer status;
        ErrorLogLevel logLevel;
        Boolean dryRun;
    }

    /** {@code draft} merged over its parent's merged settings ({@code null} at the top: the defaults). */
    public static LimitSettings merge(LimitSettings parent, Draft draft) {
        LimitSettings p = parent != null ? parent : DEFAULTS;
        return new LimitSettings(draft.status != null ? draft.status : p.status,
                draft.logLevel != null ? draft.logLevel : p.logLevel,
                draft.dryRun != null ? draft.dryRun : p.dryRun);
    }

    /**
     * The three directives {@code PREFIX_status}, {@code PREFIX_log_level} and {@code PREFIX_dry_run} (http, server,
     * location), storing into the {@link Draft} that {@code draft} finds in the module's draft of {@code slot}, with
     * nginx's errors: {@code value must be between 400 and 599}, {@code "X" directive invalid number},
     * {@code invalid value "debug"}, {@code invalid value "yes" in "X" directive, it must be "on" or "off"},
     * {@code "X" directive is duplicate}.
     *
     * @param prefix {@code limit_req} or {@code limit_conn}
     */
    public static <D> List<Directive> directives(String prefix, LocSlot<D, ?> slot, Function<D, Draft> draft) {
        return List.of(
                Directive.of(prefix + "_log_level", Directive.httpServerLocation(), Arity.TAKE1, (cx, d) -> {
                    Draft s = draft.apply(cx.loc(slot));
                    Setters.checkUnset(d, s.logLevel);
                    s.logLevel = logLevel(d);
                }),
                Directive.of(prefix + "_status", Directive.httpServerLocation(), Arity.TAKE1, (cx, d) -> {
                    Draft s = draft.apply(cx.loc(slot));
                    Setters.checkUnset(d, s.status);
                    s.status = status(d);
                }),
                Directive.of(prefix + "_dry_run", Directive.httpServerLocation(), Arity.TAKE1,
                        Setters.flag(slot, d -> draft.apply(d).dryRun, (d, v) -> draft.apply(d).dryRun = v)));
    }

    private static ErrorLogLevel logLevel(ConfDirective d) throws ConfException {
        ErrorLogLevel level = ErrorLogLevel.named(ConfValues.lower(d.arg(0)));
        if (level == null || !LOG_LEVELS.contains(level)) {
            throw d.error("invalid value \"%s\"", d.arg(0));
        }
        return level;
    }

    private static int status(ConfDirective d) throws ConfException {
        int n = ConfValues.number(d.arg(0));
        if (n < 0) {
            throw d.error("\"%s\" directive invalid number", d.name());
        }
        if (n < 400 || n > 599) {
            throw d.error("value must be between 400 and 599");
        }
        return n;
    }
}
