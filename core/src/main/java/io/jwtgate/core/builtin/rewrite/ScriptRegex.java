package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.http.route.RegexCaptures;

/**
 * A regex of {@code rewrite} or {@code if (... ~ ...)}, as nginx's {@code ngx_http_regex_exec} runs it: a match
 * makes its captures the request's ({@code $1}..{@code $9}) and stores its named captures in their variables; a
 * miss leaves the request with no numbered captures (nginx's {@code r->ncaptures = 0}).
 *
 * @param pattern the expression as written, for {@code rewrite_log}
 * @param names the named groups, in the order of {@code nameIndexes}
 * @param nameIndexes the variable index of each named group
 */
record ScriptRegex(NginxRegex regex, String pattern, String[] names, int[] nameIndexes) {

    /** Searches {@code subject}; the captures, or {@code null} when it does not match. */
    RegexCaptures exec(HttpExchange x, String subject, boolean log) {
        RegexCaptures captures = regex.find(subject);
        if (captures == null) {
            if (log) {
                RewriteLog.notice(x, "\"" + pattern + "\" does not match \"" + subject + "\"");
            }
            x.setCaptures(RegexCaptures.NONE);
            return null;
        }
        if (log) {
            RewriteLog.notice(x, "\"" + pattern + "\" matches \"" + subject + "\"");
        }
        x.setCaptures(captures);
        for (int i = 0; i < names.length; i++) {
            String value = captures.group(names[i]);
            x.setVariable(nameIndexes[i], value == null ? "" : value);
        }
        return captures;
    }
}
