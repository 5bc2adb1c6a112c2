package io.jwtgate.gzip;

import io.jwtgate.core.http.route.NginxRegex;
import java.util.List;
import java.util.Set;

/**
 * The merged gzip configuration of a location: nginx's gzip filter settings and the core's {@code gzip_vary},
 * {@code gzip_disable}, {@code gzip_http_version} and {@code gzip_proxied}, which gunzip (and gzip_static) read too.
 *
 * @param enabled {@code gzip on}
 * @param types the lower-case content types to compress ({@code text/html} always among them); {@code null} for
 *     {@code gzip_types *}
 * @param minLength {@code gzip_min_length}, compared with a known {@code Content-Length}
 * @param level {@code gzip_comp_level}, 1-9
 * @param vary {@code gzip_vary}
 * @param proxied the {@code gzip_proxied} flags, {@link GzipOk}'s bits
 * @param disable the {@code gzip_disable} expressions, matched against {@code User-Agent} caselessly
 * @param disableMsie6 {@code gzip_disable msie6}
 * @param http10 {@code gzip_http_version 1.0}: HTTP/1.0 requests may get gzip too
 * @param gunzip {@code gunzip on}
 * @param gzipStatic {@code gzip_static}: {@link Precompressed#OFF}, {@code ON} or {@code ALWAYS}
 */
record GzipConf(boolean enabled, Set<String> types, long minLength, int level, boolean vary, int proxied,
        List<NginxRegex> disable, boolean disableMsie6, boolean http10, boolean gunzip,
        Precompressed gzipStatic) {
}
