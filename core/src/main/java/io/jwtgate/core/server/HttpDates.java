package io.jwtgate.core.server;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header value, formatted at most once per second per thread. */
final class HttpDates {

    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final ThreadLocal<HttpDates> LOCAL = ThreadLocal.withInitial(HttpDates::new);

    private long second = -1;
    private AsciiString value;

    private HttpDates() {
    }

    static AsciiString now() {
        return LOCAL.get().current();
    }

    private AsciiString current() {
        long s = System.currentTimeMillis() / 1000;
        if (s != second) {
            second = s;
            value = AsciiString.cached(RFC_1123.format(Instant.ofEpochSecond(s)));
        }
        return value;
    }
}
