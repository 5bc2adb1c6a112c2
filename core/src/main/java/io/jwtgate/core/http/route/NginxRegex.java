package io.jwtgate.core.http.route;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression from the configuration, compiled with java.util.regex but named the PCRE way.
 *
 * <p>Java only accepts {@code (?<name>...)} with letters and digits, while nginx configurations also use
 * {@code (?P<name>...)}, {@code (?'name'...)} and names with underscores. Named groups are therefore rewritten to
 * plain groups and their numbers remembered here; the numbering is the same as PCRE's, so {@code $1} and
 * {@code $name} refer to the same text as in nginx. Back references by name ({@code \k<name>}, {@code (?P=name)}) are
 * rewritten to numbered ones.
 */
public final class NginxRegex {

    private final Pattern pattern;
    private final Map<String, Integer> names;

    private NginxRegex(Pattern pattern, Map<String, Integer> names) {
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * Compiles {@code regex}; {@code caseless} is nginx's {@code ~*} (and every {@code server_name} regex).
     *
     * @throws PatternSyntaxException when the expression is invalid
     */
    public static NginxRegex compile(String regex, boolean caseless) {
        Map<String, Integer> names = new HashMap<>();
        String javaRegex = rewriteNamedGroups(regex, names);
        int flags = caseless ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        return new NginxRegex(Pattern.compile(javaRegex, flags), Map.copyOf(names));
    }

    /** Searches {@code subject} (unanchored, as PCRE does); the captures, or {@code null} when it does not match. */
    public RegexCaptures find(String subject) {
        Matcher matcher = pattern.matcher(subject);
        return matcher.find() ? RegexCaptures.of(subject, matcher, names) : null;
    }

    /** The number of a named group, or -1 when the expression has no group of that name. */
    public int groupNumber(String name) {
        Integer n = names.get(name);
        return n == null ? -1 : n;
    }

    /** The names of the named groups. */
    public Set<String> names() {
        return names.keySet();
    }

    private static String rewriteNamedGroups(String regex, Map<String, Integer> names) {
        StringBuilder out = new StringBuilder(regex.length());
        int groups = 0;
        boolean inClass = false;
        int i = 0;
        int length = regex.length();
        while (i < length) {
            char ch = regex.charAt(i);
            if (ch == '\\') {
                if (regex.startsWith("\\Q", i)) {
                    int end = regex.indexOf("\\E", i + 2);
                    int stop = end < 0 ? length : end + 2;
                    out.append(regex, i, stop);
                    i = stop;
                    continue;
                }
                if (!inClass && (regex.startsWith("\\k<", i) || regex.startsWith("\\k'", i)
                        || regex.startsWith("\\k{", i))) {
                    char close = switch (regex.charAt(i + 2)) {
                        case '<' -> '>';
                        case '{' -> '}';
                        default -> '\'';
                    };
                    int end = regex.indexOf(close, i + 3);
                    if (end > 0) {
                        out.append(backReference(regex, regex.substring(i + 3, end), names));
                        i = end + 1;
                        continue;
                    }
                }
                int stop = Math.min(i + 2, length);
                out.append(regex, i, stop);
                i = stop;
                continue;
            }
            if (inClass) {
                if (ch == ']') {
                    inClass = false;
                }
                out.append(ch);
                i++;
                continue;
            }
            if (ch == '[') {
                inClass = true;
                out.append(ch);
                i++;
                // a "]" right after "[" or "[^" is a literal, not the end of the class
                if (i < length && regex.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < length && regex.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (ch != '(') {
                out.append(ch);
                i++;
                continue;
            }
            int nameStart = namedGroupNameStart(regex, i);
            if (nameStart > 0) {
                char close = regex.charAt(nameStart - 1) == '\'' ? '\'' : '>';
                int end = regex.indexOf(close, nameStart);
                if (end < 0) {
                    throw new PatternSyntaxException("unterminated group name", regex, i);
                }
                String name = regex.substring(nameStart, end);
                groups++;
                if (names.putIfAbsent(name, groups) != null) {
                    throw new PatternSyntaxException("two named subpatterns have the same name", regex, i);
                }
                out.append('(');
                i = end + 1;
                continue;
            }
            if (regex.startsWith("(?P=", i)) {
                int end = regex.indexOf(')', i);
                if (end > 0) {
                    out.append(backReference(regex, regex.substring(i + 4, end), names));
                    i = end + 1;
                    continue;
                }
            }
            if (!regex.startsWith("(?", i) && !regex.startsWith("(*", i)) {
                groups++;
            }
            out.append(ch);
            i++;
        }
        return out.toString();
    }

    /** Where the name of a named group opened at {@code open} starts, or -1 when it is another kind of group. */
    private static int namedGroupNameStart(String regex, int open) {
        if (regex.startsWith("(?P<", open)) {
            return open + 4;
        }
        if (regex.startsWith("(?'", open)) {
            return open + 3;
        }
        if (regex.startsWith("(?<", open) && open + 3 < regex.length()) {
            char next = regex.charAt(open + 3);
            // "(?<=" and "(?<!" are lookbehinds
            return next == '=' || next == '!' ? -1 : open + 3;
        }
        return -1;
    }

    private static String backReference(String regex, String name, Map<String, Integer> names) {
        Integer number = names.get(name);
        if (number == null) {
            throw new PatternSyntaxException("reference to non-existent subpattern \"" + name + "\"", regex, -1);
        }
        // the group keeps a following digit from being read as part of the number
        return "(?:\\" + number + ")";
    }
}
