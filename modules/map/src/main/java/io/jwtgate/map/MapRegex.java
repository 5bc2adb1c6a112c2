package io.jwtgate.map;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code ~regex} or {@code ~*regex} key, compiled once with java.util.regex. PCRE's named groups ({@code
 * (?<name>...)}, {@code (?P<name>...)}, {@code (?'name'...)}, names with underscores) become plain groups whose
 * numbers are remembered here, numbered as PCRE numbers them, so that {@code $1} and {@code $name} in the value
 * refer to the same text as in nginx.
 *
 * <p>This repeats a small part of the core's package-private {@code NginxRegex}; see docs/map.md.
 */
final class MapRegex {

    private final Pattern pattern;
    private final Map<String, Integer> names;

    private MapRegex(Pattern pattern, Map<String, Integer> names) {
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * Compiles {@code regex}, case-insensitively for {@code ~*}.
     *
     * @throws PatternSyntaxException when the expression is invalid
     */
    static MapRegex compile(String regex, boolean caseless) {
        Map<String, Integer> names = new HashMap<>();
        String java = rewriteNamedGroups(regex, names);
        int flags = caseless ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        return new MapRegex(Pattern.compile(java, flags), Map.copyOf(names));
    }

    /** The group number of a named group, or -1. */
    int group(String name) {
        Integer n = names.get(name);
        return n == null ? -1 : n;
    }

    /** The names of the named groups. */
    Set<String> names() {
        return names.keySet();
    }

    /**
     * Searches {@code subject} unanchored, as PCRE does: the groups ({@code [0]} the whole match, {@code null} for a
     * group that did not take part), or {@code null} when it does not match.
     */
    String[] find(String subject) {
        Matcher m = pattern.matcher(subject);
        if (!m.find()) {
            return null;
        }
        String[] groups = new String[m.groupCount() + 1];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = m.group(i);
        }
        return groups;
    }

    private static String rewriteNamedGroups(String regex, Map<String, Integer> names) {
        StringBuilder out = new StringBuilder(regex.length());
        int groups = 0;
        boolean inClass = false;
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (regex.startsWith("\\Q", i)) {
                    int end = regex.indexOf("\\E", i + 2);
                    int stop = end < 0 ? n : end + 2;
                    out.append(regex, i, stop);
                    i = stop;
                    continue;
                }
                int stop = Math.min(i + 2, n);
                out.append(regex, i, stop);
                i = stop;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
                out.append(c);
                i++;
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                i++;
                if (i < n && regex.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < n && regex.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c != '(') {
                out.append(c);
                i++;
                continue;
            }
            int nameStart = nameStart(regex, i);
            if (nameStart > 0) {
                char close = regex.charAt(nameStart - 1) == '\'' ? '\'' : '>';
                int end = regex.indexOf(close, nameStart);
                if (end < 0) {
                    throw new PatternSyntaxException("unterminated group name", regex, i);
                }
                groups++;
                if (names.putIfAbsent(regex.substring(nameStart, end), groups) != null) {
                    throw new PatternSyntaxException("two named subpatterns have the same name", regex, i);
                }
                out.append('(');
                i = end + 1;
                continue;
            }
            if (!regex.startsWith("(?", i) && !regex.startsWith("(*", i)) {
                groups++;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** Where the name of a named group opened at {@code open} starts, or -1 for any other group. */
    private static int nameStart(String regex, int open) {
        if (regex.startsWith("(?P<", open)) {
            return open + 4;
        }
        if (regex.startsWith("(?'", open)) {
            return open + 3;
        }
        if (regex.startsWith("(?<", open) && open + 3 < regex.length()) {
            char next = regex.charAt(open + 3);
            return next == '=' || next == '!' ? -1 : open + 3;
        }
        return -1;
    }
}
