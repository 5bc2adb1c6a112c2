/**
 * The configuration language: nginx syntax read into {@link io.jwtgate.core.conf.ConfDirective} trees, the
 * directive table types modules declare ({@code Directive} in {@code core.module}, {@link io.jwtgate.core.conf.Arity},
 * {@link io.jwtgate.core.conf.Context}), shared value parsers, and the one error type, whose message is always
 * {@code <reason> in <file>:<line>}.
 */
package io.jwtgate.core.conf;
