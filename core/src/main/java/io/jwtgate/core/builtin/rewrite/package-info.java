/**
 * nginx's rewrite module: {@code set}, {@code if}, {@code rewrite}, {@code break}, {@code return}, compiled into one
 * script per server and location and run in the server rewrite and rewrite phases (docs/rewrite.md).
 */
package io.jwtgate.core.builtin.rewrite;
