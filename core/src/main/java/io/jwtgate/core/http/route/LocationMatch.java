package io.jwtgate.core.http.route;

/**
 * The outcome of {@link LocationTree#match}: the chosen location, or none, or nginx's automatic redirect.
 *
 * @param <T> the payload type
 */
public final class LocationMatch<T> {

    private static final LocationMatch<?> NONE = new LocationMatch<>(null, null, RegexCaptures.NONE, false, false);

    private final T payload;
    private final String pattern;
    private final RegexCaptures captures;
    private final boolean autoRedirect;
    /** nginx's NGX_OK/NGX_DONE: no outer level may try its regexes any more. */
    private final boolean decisive;

    LocationMatch(T payload, String pattern, RegexCaptures captures, boolean autoRedirect, boolean decisive) {
        this.payload = payload;
        this.pattern = pattern;
        this.captures = captures;
        this.autoRedirect = autoRedirect;
        this.decisive = decisive;
    }

    @SuppressWarnings("unchecked")
    static <T> LocationMatch<T> none() {
        return (LocationMatch<T>) NONE;
    }

    /** False when no location matched (nginx then serves with the server's configuration, usually a 404). */
    public boolean isMatched() {
        return pattern != null;
    }

    /** The payload of the chosen location (for a redirect, of the location redirected to); null when none matched. */
    public T payload() {
        return payload;
    }

    /** The pattern of the chosen location, without modifier; null when none matched. */
    public String pattern() {
        return pattern;
    }

    /** The captures of the last regex that matched on the way, or {@link RegexCaptures#NONE}. */
    public RegexCaptures captures() {
        return captures;
    }

    /**
     * True for nginx's automatic redirect: the URI is the {@link #pattern()} of an {@code autoRedirect} location
     * without its trailing slash. The answer is a 301 with {@code Location: <pattern>}, plus {@code ?<args>} when the
     * request has arguments.
     */
    public boolean isAutoRedirect() {
        return autoRedirect;
    }

    boolean isDecisive() {
        return decisive;
    }

    LocationMatch<T> withCaptures(RegexCaptures regexCaptures) {
        return new LocationMatch<>(payload, pattern, regexCaptures, autoRedirect, true);
    }

    @Override
    public String toString() {
        if (!isMatched()) {
            return "LocationMatch[none]";
        }
        return "LocationMatch[" + (autoRedirect ? "redirect " : "") + pattern + " -> " + payload + "]";
    }
}
