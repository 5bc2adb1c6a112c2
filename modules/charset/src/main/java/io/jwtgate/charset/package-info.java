/**
 * nginx's charset filter: {@code charset}, {@code source_charset}, {@code charset_types}, {@code override_charset}
 * add the {@code ; charset=} parameter to {@code Content-Type} as nginx does; recoding ({@code charset_map}) is not
 * supported and refused at start-up (docs/charset.md).
 */
package io.jwtgate.charset;
