/**
 * Static content as nginx's static, index and try_files modules serve it, with the core's {@code root},
 * {@code alias}, {@code types} and file directives (docs/static.md).
 */
package io.jwtgate.staticfiles;
