package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.module.ConfContext;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code limit_except method ... { ... }}, nginx's {@code ngx_http_core_limit_except}: a block of a location whose
 * configuration (access rules, {@code access_log}, {@code proxy_pass}) applies to requests with any method but the
 * ones listed; GET brings HEAD with it (docs/configuration.md#limit_except).
 */
final class LimitExcept {

    /** The methods nginx knows by name ({@code ngx_methods_names}). */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE",
            "OPTIONS", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH");

    private LimitExcept() {
    }

    static void read(ConfContext cx, ConfDirective d) throws ConfException {
        ConfReader r = (ConfReader) cx;
        Level location = r.level();
        if (location.limitExcept != null) {
            throw d.error("\"limit_except\" directive is duplicate");
        }
        Set<String> methods = new HashSet<>();
        for (String arg : d.args()) {
            String method = arg.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw d.error("invalid method \"%s\"", arg);
            }
            methods.add(method);
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        Level block = new Level(Context.LIMIT_EXCEPT, location, r.slotCount(), d);
        block.pattern = location.pattern;
        location.limitExcept = block;
        location.limitExceptMethods = methods;
        cx.parseBlock(d, Context.LIMIT_EXCEPT, block);
    }
}
