/**
 * Modules written as a third party would write them, against the public module interface only: a streaming content
 * handler ({@link io.jwtgate.moduletest.StreamingModule}), the request flow's redirects
 * ({@link io.jwtgate.moduletest.FlowTestModule}) and subrequests ({@link io.jwtgate.moduletest.ProbeModule}). Every
 * file here names only jwtgate's {@code core.http} (and {@code http.route}), {@code core.module}, {@code core.var},
 * {@code core.conf}, {@code core.codec}, the JDK and the Netty types of the content contract
 * ({@code TestModulesInterfaceTest} checks it); the tests that run them live elsewhere. See
 * {@code docs/modules.md#test-modules}.
 */
package io.jwtgate.moduletest;
