package io.jwtgate.core.http;

import java.util.Locale;
import java.util.Map;

/**
 * What an in-process subrequest answered.
 *
 * @param status the response status
 * @param headers response headers by lower-case name (first value of each)
 * @param body the body, at most the limit given when the subrequest was made; empty for a header-only one
 * @param complete false when the body went over the limit or the response was cut short
 * @param relayed a streaming content handler (the proxy) took the subrequest, whatever came of it: nginx's connection
 *     is then "sending to client" in later error lines
 */
public record SubrequestResult(int status, Map<String, String> headers, byte[] body, boolean complete,
        boolean relayed) {

    public SubrequestResult {
        headers = Map.copyOf(headers);
    }

    /** A response header, by case-insensitive name; {@code null} when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
