package io.jwtgate.core.http;

/**
 * The request processing phases modules add handlers to, in order (a subset of nginx's). Server selection happens
 * before the first phase; the core's own steps run between them: find config (the location lookup) after
 * {@link #SERVER_REWRITE}, post-rewrite after {@link #REWRITE}, post-access after {@link #ACCESS}
 * (docs/modules.md#request-flow).
 */
public enum Phase {
    /**
     * Right after the request head is read, before the server rewrite phase: {@code realip}'s server-level
     * address. Only the client request runs it; internal redirects and subrequests start after it.
     */
    POST_READ,
    /** The rewrite module's directives at server level, before the location is looked up (nginx's server rewrite). */
    SERVER_REWRITE,
    /** The rewrite module's directives of the location; a changed URI looks the location up again. */
    REWRITE,
    /** Checks that run before access control, whatever {@code satisfy} says: {@code jwt_phase preaccess}. */
    PREACCESS,
    /**
     * Access control combined by {@code satisfy all|any}: {@code allow}/{@code deny}, the JWT check. Skipped by
     * subrequests.
     */
    ACCESS,
    /**
     * After access, before content (nginx's precontent phase): {@code try_files}, which may redirect the request
     * internally or choose the file the content phase serves. A handler returns {@code DECLINED} to go on to the
     * content phase, {@code OK} when it took the request over, or a status.
     */
    PRECONTENT,
    /** Produces the response: {@code return}, {@code proxy_pass}. */
    CONTENT,
    /** Runs after the response is sent: {@code access_log}. */
    LOG
}
