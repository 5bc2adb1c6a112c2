package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.HttpTime;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.var.ComplexValue;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * {@code expires [modified] time|epoch|max|off}, from nginx's headers module: sets {@code Expires} and
 * {@code Cache-Control} on responses with a status {@code add_header} applies to. {@code time} counts from the
 * request ({@code +}/{@code -} allowed), from the response's {@code Last-Modified} with {@code modified}, or names
 * a time of day ({@code @15h30m}, local time, the next one to come). A value with variables is read per request;
 * one that does not parse then sets nothing, as in nginx (docs/static.md#expires).
 *
 * @param mode what the value means
 * @param seconds the time in seconds (negative for {@code -time}); for {@link Mode#DAILY}, seconds after midnight
 * @param value the value with variables, read per request, or {@code null}
 */
record Expires(Mode mode, long seconds, ComplexValue value) {

    enum Mode { OFF, EPOCH, MAX, ACCESS, MODIFIED, DAILY }

    static final Expires OFF = new Expires(Mode.OFF, 0, null);

    /** nginx's {@code ngx_http_headers_expires}. */
    static Expires read(ConfContext cx, ConfDirective d) throws ConfException {
        Mode mode = Mode.ACCESS;
        String text = d.arg(0);
        if (d.args().size() == 2) {
            if (!d.arg(0).equals("modified")) {
                throw d.error("invalid value");
            }
            mode = Mode.MODIFIED;
            text = d.arg(1);
        }
        ComplexValue value = cx.compile(d, text);
        if (!value.isConstant()) {
            return new Expires(mode, 0, value);
        }
        Expires e = parse(text, mode);
        if (e.value() != null) {
            throw d.error(e.value().constant());
        }
        return e;
    }

    /** nginx's {@code ngx_http_parse_expires}; a failure comes back with the reason as its constant value. */
    private static Expires parse(String text, Mode given) {
        if (given != Mode.MODIFIED) {
            switch (text) {
                case "epoch":
                    return new Expires(Mode.EPOCH, 0, null);
                case "max":
                    return new Expires(Mode.MAX, 0, null);
                case "off":
                    return OFF;
                default:
                    break;
            }
        }
        Mode mode = given;
        boolean minus = false;
        String time = text;
        if (time.startsWith("@")) {
            if (mode == Mode.MODIFIED) {
                return failure("daily time cannot be used with \"modified\" parameter");
            }
            mode = Mode.DAILY;
            time = time.substring(1);
        } else if (time.startsWith("+")) {
            time = time.substring(1);
        } else if (time.startsWith("-")) {
            minus = true;
            time = time.substring(1);
        }
        long seconds = ConfValues.seconds(time);
        if (seconds < 0) {
            return failure("invalid value");
        }
        if (mode == Mode.DAILY && seconds > 24 * 60 * 60) {
            return failure("daily time value must be less than 24 hours");
        }
        return new Expires(mode, minus ? -seconds : seconds, null);
    }

    private static Expires failure(String reason) {
        return new Expires(Mode.OFF, 0, ComplexValue.constant(reason));
    }

    /** nginx's {@code ngx_http_set_expires}. */
    void apply(HttpExchange x, ResponseHeaders h) {
        Expires e = this;
        if (value != null) {
            e = parse(value.evaluate(x), mode);
            if (e.value() != null || e.mode() == Mode.OFF) {
                return;
            }
        }
        switch (e.mode()) {
            case EPOCH -> set(h, "Thu, 01 Jan 1970 00:00:01 GMT", "no-cache");
            case MAX -> set(h, "Thu, 31 Dec 2037 23:55:55 GMT", "max-age=315360000");
            default -> e.applyTime(h);
        }
    }

    private void applyTime(ResponseHeaders h) {
        long now = System.currentTimeMillis() / 1000;
        if (seconds == 0 && mode != Mode.DAILY) {
            set(h, HttpTime.format(now), "max-age=0");
            return;
        }
        long expiresAt;
        long maxAge;
        long lastModified = mode == Mode.MODIFIED ? lastModified(h) : -1;
        if (mode == Mode.DAILY) {
            expiresAt = nextTimeOfDay(now, seconds);
            maxAge = expiresAt - now;
        } else if (lastModified < 0) {
            maxAge = seconds;
            expiresAt = now + seconds;
        } else {
            expiresAt = lastModified + seconds;
            maxAge = expiresAt - now;
        }
        set(h, HttpTime.format(expiresAt), seconds < 0 || maxAge < 0 ? "no-cache" : "max-age=" + maxAge);
    }

    private static long lastModified(ResponseHeaders h) {
        String lm = h.get("Last-Modified");
        return lm == null ? -1 : HttpTime.parse(lm);
    }

    /** nginx's {@code ngx_next_time}: today at {@code secondsOfDay} local time, or tomorrow when that has passed. */
    private static long nextTimeOfDay(long now, long secondsOfDay) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochSecond(now), zone);
        LocalTime at = LocalTime.ofSecondOfDay(secondsOfDay % 86400);
        long t = ZonedDateTime.of(today, at, zone).plusDays(secondsOfDay / 86400).toEpochSecond();
        return t > now ? t : ZonedDateTime.of(today.plusDays(1), at, zone).toEpochSecond();
    }

    private static void set(ResponseHeaders h, String expires, String cacheControl) {
        h.set("Expires", expires);
        h.set("Cache-Control", cacheControl);
    }
}
