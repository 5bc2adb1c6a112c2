package io.jwtgate.core.codec;

import java.time.LocalDate;

/**
 * HTTP dates as nginx writes and reads them: {@code Last-Modified} and {@code Expires} in the IMF-fixdate form
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), and the three forms {@code If-Modified-Since} and its kin may come in
 * (IMF-fixdate, RFC 850 {@code Sunday, 06-Nov-94 08:49:37 GMT}, asctime {@code Sun Nov  6 08:49:37 1994}), read as
 * leniently as nginx's {@code ngx_parse_http_time}: the week day is not checked and text after the time is ignored.
 */
public final class HttpTime {

    private static final String[] WEEK_DAYS = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private static final int[] MONTH_DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private enum Form { IMF, RFC850, ASCTIME }

    private HttpTime() {
    }

    /** The last second nginx can write: 31 December 9999, 23:59:59. */
    private static final long LAST = 2_932_896L * 86400 + 86399;

    /**
     * {@code epochSeconds} as an IMF-fixdate; as nginx's {@code ngx_gmtime}, a time before the epoch is written as
     * the epoch and one after the year 9999 as its last second.
     */
    public static String format(long epochSeconds) {
        long t = Math.max(0, Math.min(LAST, epochSeconds));
        long days = t / 86400;
        int second = (int) (t % 86400);
        LocalDate date = LocalDate.ofEpochDay(days);
        StringBuilder sb = new StringBuilder(29).append(WEEK_DAYS[(int) (days % 7)]).append(", ");
        two(sb, date.getDayOfMonth()).append(' ').append(MONTHS[date.getMonthValue() - 1]).append(' ')
                .append(date.getYear()).append(' ');
        two(sb, second / 3600).append(':');
        two(sb, second / 60 % 60).append(':');
        return two(sb, second % 60).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder sb, int n) {
        return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** The time {@code value} names, in seconds since the epoch, or -1 when it is not a date nginx reads. */
    public static long parse(String value) {
        Cursor c = new Cursor(value);
        Form form = Form.IMF;
        while (c.pos < value.length()) {
            char ch = value.charAt(c.pos);
            if (ch == ',') {
                break;
            }
            if (ch == ' ') {
                form = Form.ASCTIME;
                break;
            }
            c.pos++;
        }
        c.pos++;
        while (c.at(0) == ' ') {
            c.pos++;
        }
        if (c.left() < 18) {
            return -1;
        }
        int day = 0;
        if (form != Form.ASCTIME) {
            day = c.digits(2);
            if (day < 0) {
                return -1;
            }
            char sep = c.next();
            if (sep == ' ') {
                if (c.left() < 17) {
                    return -1;
                }
            } else if (sep == '-') {
                form = Form.RFC850;
            } else {
                return -1;
            }
        }
        int month = month(c.at(0), c.at(1), c.at(2));
        if (month < 0) {
            return -1;
        }
        c.pos += 3;
        char afterMonth = c.next();
        if (form == Form.IMF && afterMonth != ' ' || form == Form.RFC850 && afterMonth != '-') {
            return -1;
        }
        int year = 0;
        if (form == Form.IMF) {
            year = c.digits(4);
        } else if (form == Form.RFC850) {
            year = c.digits(2);
            year += year < 0 ? 0 : year < 70 ? 2000 : 1900;
        } else {
            if (c.at(0) == ' ') {
                c.pos++;
            }
            day = c.digits(1);
            if (day >= 0 && c.at(0) != ' ') {
                int second = c.digits(1);
                day = second < 0 ? -1 : day * 10 + second;
            }
            if (c.left() < 14) {
                return -1;
            }
        }
        if (year < 0 || day < 0 || c.next() != ' ') {
            return -1;
        }
        int hour = c.digits(2);
        int min = c.next() == ':' ? c.digits(2) : -1;
        int sec = c.next() == ':' ? c.digits(2) : -1;
        if (hour < 0 || min < 0 || sec < 0) {
            return -1;
        }
        if (form == Form.ASCTIME) {
            year = c.next() == ' ' ? c.digits(4) : -1;
            if (year < 0) {
                return -1;
            }
        }
        if (hour > 23 || min > 59 || sec > 59) {
            return -1;
        }
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        if (month == 1 && day == 29 ? !leap : day > MONTH_DAYS[month]) {
            return -1;
        }
        // nginx takes day 0 as the last day of the previous month; LocalDate does not, so count days instead
        long days = LocalDate.of(year, month + 1, 1).toEpochDay() + day - 1;
        return days * 86400 + hour * 3600L + min * 60L + sec;
    }

    private static int month(char a, char b, char c) {
        return switch (a) {
            case 'J' -> b == 'a' ? 0 : c == 'n' ? 5 : 6;
            case 'F' -> 1;
            case 'M' -> c == 'r' ? 2 : 4;
            case 'A' -> b == 'p' ? 3 : 7;
            case 'S' -> 8;
            case 'O' -> 9;
            case 'N' -> 10;
            case 'D' -> 11;
            default -> -1;
        };
    }

    /** A position in the text; reading past its end gives {@code '\0'}, as nginx reads its terminated string. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        char at(int offset) {
            int i = pos + offset;
            return i >= 0 && i < s.length() ? s.charAt(i) : '\0';
        }

        char next() {
            char ch = at(0);
            pos++;
            return ch;
        }

        int left() {
            return s.length() - pos;
        }

        /** {@code n} decimal digits as a number, or -1 when one is not a digit. */
        int digits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                char ch = next();
                if (ch < '0' || ch > '9') {
                    return -1;
                }
                v = v * 10 + ch - '0';
            }
            return v;
        }
    }
}
