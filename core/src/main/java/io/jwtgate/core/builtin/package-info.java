/** Modules shipped with the core: return, add_header, access_log/log_format. */
package io.jwtgate.core.builtin;
