package io.jwtgate.core.codec;

/**
 * A header value read as a comma-separated list, each item trimmed, as Netty's {@code HttpHeaders.containsValue}
 * reads it, without its list and iterators.
 */
final class HeaderValueList {

    private HeaderValueList() {
    }

    /**
     * Whether {@code v} holds the item {@code expected}. {@code ignoreCase} folds ASCII letters only, which for the
     * ASCII tokens asked about ({@code close}, {@code chunked}) is the same answer.
     */
    static boolean holds(CharSequence v, CharSequence expected, boolean ignoreCase) {
        int n = v.length();
        for (int begin = 0; begin <= n;) {
            int end = begin;
            while (end < n && v.charAt(end) != ',') {
                end++;
            }
            if ((end < n || begin < n || begin == 0) && itemEquals(v, begin, end, expected, ignoreCase)) {
                return true;
            }
            begin = end + 1;
        }
        return false;
    }

    private static boolean itemEquals(CharSequence v, int begin, int end, CharSequence expected, boolean ignoreCase) {
        while (begin < end && v.charAt(begin) <= ' ') {
            begin++;
        }
        while (end > begin && v.charAt(end - 1) <= ' ') {
            end--;
        }
        if (end - begin != expected.length()) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            char a = v.charAt(begin + i);
            char b = expected.charAt(i);
            if (a != b && (!ignoreCase || lowerAscii(a) != lowerAscii(b))) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
