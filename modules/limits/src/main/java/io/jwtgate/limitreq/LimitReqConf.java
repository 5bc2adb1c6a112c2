package io.jwtgate.limitreq;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.limits.LimitSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The merged {@code limit_req} configuration of a level.
 *
 * @param limits the level's own {@code limit_req}s, or its parent's when it has none, in order
 * @param settings {@code limit_req_status}, {@code limit_req_log_level}, {@code limit_req_dry_run}
 * @param delayLevel the level of the line about a delayed request: one below {@code limit_req_log_level}
 *     ({@code info} stays {@code info}), as nginx's
 */
record LimitReqConf(Limit[] limits, LimitSettings settings, ErrorLogLevel delayLevel) {

    /** What a level wrote; {@code limits} is {@code null} when it wrote no {@code limit_req}. */
    static final class Draft {
        List<Limit> limits;
        final LimitSettings.Draft settings = new LimitSettings.Draft();

        List<Limit> limits() {
            if (limits == null) {
                limits = new ArrayList<>(1);
            }
            return limits;
        }
    }

    /** nginx's merge: a level with {@code limit_req}s of its own replaces its parent's; the settings are inherited. */
    static LimitReqConf merge(LimitReqConf parent, Draft d) {
        Limit[] limits = d.limits != null ? d.limits.toArray(Limit[]::new)
                : parent != null ? parent.limits : new Limit[0];
        LimitSettings settings = LimitSettings.merge(parent != null ? parent.settings : null, d.settings);
        ErrorLogLevel log = settings.logLevel();
        ErrorLogLevel delay = switch (log) {
            case ERROR -> ErrorLogLevel.WARN;
            case WARN -> ErrorLogLevel.NOTICE;
            default -> ErrorLogLevel.INFO;
        };
        return new LimitReqConf(limits, settings, delay);
    }
}
