/**
 * Wire formats the server and modules share, with no request state: HTTP/1 header storage and names
 * ({@code FlatHttpHeaders}, {@code KnownHeaderNames}), header text as bytes ({@code WireText}), IP addresses and
 * networks as nginx reads and writes them ({@code InetText}, {@code Cidr}) and PEM files ({@code PemFiles}). Part
 * of the module interface (docs/modules.md).
 */
package io.jwtgate.core.codec;
