package io.jwtgate.core.http.route;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * What a location or server name regex captured: the numbered groups ({@code $1} .. {@code $9} in nginx, and
 * {@code $0} for the whole match) and the named ones ({@code $name}). Immutable.
 */
public final class RegexCaptures {

    /** No regex took part in the match. */
    public static final RegexCaptures NONE = new RegexCaptures("", new int[] {0, 0}, Map.of());

    private final String subject;
    private final int[] offsets;
    private final Map<String, Integer> names;

    private RegexCaptures(String subject, int[] offsets, Map<String, Integer> names) {
        this.subject = subject;
        this.offsets = offsets;
        this.names = names;
    }

    static RegexCaptures of(String subject, Matcher matcher, Map<String, Integer> names) {
        int count = matcher.groupCount();
        int[] offsets = new int[2 * (count + 1)];
        for (int group = 0; group <= count; group++) {
            offsets[2 * group] = matcher.start(group);
            offsets[2 * group + 1] = matcher.end(group);
        }
        return new RegexCaptures(subject, offsets, names);
    }

    /** The number of capturing groups, not counting the whole match; 0 for {@link #NONE}. */
    public int groupCount() {
        return offsets.length / 2 - 1;
    }

    /**
     * The text of group {@code number} (0 is the whole match), or {@code null} when the group does not exist or did
     * not take part in the match; nginx substitutes an empty string for both.
     */
    public String group(int number) {
        if (this == NONE || number < 0 || number > groupCount() || offsets[2 * number] < 0) {
            return null;
        }
        return subject.substring(offsets[2 * number], offsets[2 * number + 1]);
    }

    /** The text of the named group, or {@code null} when there is no such group or it did not take part. */
    public String group(String name) {
        Integer number = names.get(name);
        return number == null ? null : group(number);
    }

    /** The names of the named groups. */
    public Set<String> names() {
        return names.keySet();
    }
}
