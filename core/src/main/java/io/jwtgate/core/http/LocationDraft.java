package io.jwtgate.core.http;

/** What a setter may change about the location being read. */
public interface LocationDraft {

    /** The location's pattern as written. */
    String pattern();

    /** Whether the location matches by a regular expression ({@code ~}, {@code ~*}); false outside locations. */
    boolean regex();

    /** {@code internal}: outside requests get 404. */
    void setInternal();

    /**
     * A prefix location ending with {@code /} answers a request for the prefix without the slash with a 301 to it
     * (nginx does this for {@code proxy_pass} locations).
     */
    void setAutoRedirect();
}
