package io.jwtgate.core.http.route;

import java.util.List;
import java.util.Objects;

/**
 * One {@code location} block as the configuration declares it, input to {@link LocationTree#build}.
 *
 * @param kind the modifier
 * @param pattern the URI prefix, or the regular expression for the regex kinds, without the modifier
 * @param payload what a match returns (the gateway's per-location configuration)
 * @param autoRedirect nginx's {@code auto_redirect}: set for a location whose pattern ends with {@code /} and whose
 *     content is proxied, so that a request for the pattern without its slash gets a 301 to the pattern
 * @param children the nested locations, in order of appearance
 * @param <T> the payload type
 */
public record LocationSpec<T>(Kind kind, String pattern, T payload, boolean autoRedirect,
        List<LocationSpec<T>> children) {

    /** The location modifiers of nginx. */
    public enum Kind {
        /** {@code =}: the URI must equal the pattern. */
        EXACT("="),
        /** no modifier: the longest matching prefix, unless a regex matches. */
        PREFIX(""),
        /** {@code ^~}: a prefix which, when it is the longest, stops the regex search. */
        PREFIX_NOREGEX("^~"),
        /** {@code ~}: a case-sensitive regex. */
        REGEX("~"),
        /** {@code ~*}: a case-insensitive regex. */
        REGEX_CASELESS("~*");

        private final String modifier;

        Kind(String modifier) {
            this.modifier = modifier;
        }

        /** The modifier as written in the configuration; empty for {@link #PREFIX}. */
        public String modifier() {
            return modifier;
        }

        /**
         * The kind for a modifier written as a separate word ({@code =}, {@code ^~}, {@code ~}, {@code ~*}), or null.
         */
        public static Kind ofModifier(String modifier) {
            for (Kind kind : values()) {
                if (kind != PREFIX && kind.modifier.equals(modifier)) {
                    return kind;
                }
            }
            return null;
        }

        boolean isRegex() {
            return this == REGEX || this == REGEX_CASELESS;
        }
    }

    public LocationSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pattern, "pattern");
        children = List.copyOf(children);
    }

    /** A location without nested locations or auto redirect. */
    public static <T> LocationSpec<T> of(Kind kind, String pattern, T payload) {
        return new LocationSpec<>(kind, pattern, payload, false, List.of());
    }
}
