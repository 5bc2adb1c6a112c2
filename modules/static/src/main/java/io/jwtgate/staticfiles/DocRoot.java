package io.jwtgate.staticfiles;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import java.nio.file.Path;

/**
 * {@code root} or {@code alias}: how a location maps {@code $uri} to a file name, nginx's
 * {@code ngx_http_map_uri_to_path}.
 *
 * @param value the path as configured (a trailing {@code /} of {@code root} removed); relative to the prefix
 * @param alias whether it is {@code alias}
 * @param aliasLength for {@code alias} in a prefix location, the length of the location's prefix the alias
 *     replaces; {@link #WHOLE} in a regex location, where the alias (with its captures) is the whole file name
 * @param prefix the directory a relative path is taken from
 */
record DocRoot(ComplexValue value, boolean alias, int aliasLength, Path prefix) {

    /** {@code aliasLength} of an alias in a regex location: it names the whole file. */
    static final int WHOLE = -1;

    /** The root directory (or alias) for this request, made absolute: {@code $document_root}. */
    String documentRoot(HttpExchange x) {
        String v = value.evaluate(x);
        return value.isConstant() || v.startsWith("/") ? v : prefix.resolve(v).toString();
    }

    /** The file name for {@code uri}, {@code $request_filename}. */
    String fileName(HttpExchange x, String uri) {
        String root = documentRoot(x);
        if (!alias) {
            return root + uri;
        }
        if (aliasLength == WHOLE) {
            return root;
        }
        return root + uri.substring(Math.min(aliasLength, uri.length()));
    }
}
