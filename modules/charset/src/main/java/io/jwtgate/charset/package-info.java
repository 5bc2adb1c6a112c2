/**
 * nginx's charset filter: {@code charset}, {@code source_charset}, {@code charset_types}, {@code override_charset}
 * add the {@code ; charset=} parameter to {@code Content-Type} as nginx does, and {@code charset_map} tables recode
 * the body between two charsets, streamed (docs/charset.md).
 */
package io.jwtgate.charset;
