package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rewrite module's error-log lines, with nginx's levels and request context. */
final class RewriteLog {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private RewriteLog() {
    }

    /** A {@code rewrite_log} line: {@code notice}. */
    static void notice(HttpExchange x, String message) {
        log.info(ErrorLogLevel.NOTICE.marker(), "{}{}", message, ErrorContext.of(x));
    }

    static void warn(HttpExchange x, String message) {
        if (log.isWarnEnabled()) {
            log.warn("{}{}", message, ErrorContext.of(x));
        }
    }

    static void error(HttpExchange x, String message) {
        log.error("{}{}", message, ErrorContext.of(x));
    }

    static void crit(HttpExchange x, String message) {
        log.error(ErrorLogLevel.CRIT.marker(), "{}{}", message, ErrorContext.of(x));
    }
}
