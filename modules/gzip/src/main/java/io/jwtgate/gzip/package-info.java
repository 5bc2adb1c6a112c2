/**
 * nginx's gzip filter ({@code gzip}, {@code gzip_*}) and gunzip filter ({@code gunzip}): compressing responses with
 * the JDK's {@code Deflater} and decompressing gzipped upstream responses for clients that do not accept gzip, both
 * as body filters of the core (docs/gzip.md).
 */
package io.jwtgate.gzip;
