/** Modules shipped with the core: add_header, access_log/log_format, and the rewrite module (in {@code rewrite}). */
package io.jwtgate.core.builtin;
