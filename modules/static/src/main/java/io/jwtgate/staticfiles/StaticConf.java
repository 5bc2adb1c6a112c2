package io.jwtgate.staticfiles;

import io.jwtgate.core.var.ComplexValue;
import java.util.List;
import java.util.Map;

/**
 * The merged static-content settings of one location.
 *
 * @param root {@code root} or {@code alias}; {@code null} for the default {@code root html}, next to the
 *     configuration file
 * @param index {@code index} names in order (default {@code index.html})
 * @param types {@code types}: lower-case extension to content type (default nginx's three built-in types)
 * @param defaultType {@code default_type} (default {@code text/plain})
 * @param etag {@code etag} (default on)
 * @param sendfile {@code sendfile} (default off, as nginx's)
 * @param logNotFound {@code log_not_found} (default on)
 */
record StaticConf(DocRoot root, List<ComplexValue> index, Map<String, String> types, String defaultType,
        boolean etag, boolean sendfile, boolean logNotFound) {

    /** nginx's types when no {@code types} block is given (ngx_http_core_default_types). */
    static final Map<String, String> DEFAULT_TYPES = Map.of("html", "text/html", "gif", "image/gif",
            "jpg", "image/jpeg");

    /** Mutable draft: {@code null} means unset at this level. */
    static final class Draft {
        DocRoot root;
        List<ComplexValue> index;
        Map<String, String> types;
        String defaultType;
        Boolean etag;
        Boolean sendfile;
        Boolean logNotFound;
    }

    static StaticConf merge(StaticConf parent, Draft d) {
        StaticConf p = parent;
        if (p == null) {
            p = new StaticConf(null, List.of(ComplexValue.constant("index.html")), DEFAULT_TYPES,
                    "text/plain", true, false, true);
        }
        return new StaticConf(
                d.root != null ? d.root : p.root,
                d.index != null ? d.index : p.index,
                d.types != null ? d.types : p.types,
                d.defaultType != null ? d.defaultType : p.defaultType,
                d.etag != null ? d.etag : p.etag,
                d.sendfile != null ? d.sendfile : p.sendfile,
                d.logNotFound != null ? d.logNotFound : p.logNotFound);
    }

    /**
     * The content type of {@code $uri} by its extension, as nginx's {@code ngx_http_set_exten} finds it (after the
     * last dot of the last segment, a leading dot not counting) and {@code ngx_http_set_content_type} looks it up.
     */
    String contentType(String uri) {
        for (int i = uri.length() - 1; i > 1; i--) {
            char c = uri.charAt(i);
            if (c == '.' && uri.charAt(i - 1) != '/') {
                String type = types.get(lowerAscii(uri.substring(i + 1)));
                return type != null ? type : defaultType;
            }
            if (c == '/') {
                break;
            }
        }
        return defaultType;
    }

    private static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int k = i; k < chars.length; k++) {
                    if (chars[k] >= 'A' && chars[k] <= 'Z') {
                        chars[k] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }
}
