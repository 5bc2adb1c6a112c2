/**
 * The module SPI: what a module declares (directives, configuration slots, variables, handlers) and what the core gives
 * it while the configuration is read (ConfContext) and after (HttpInit).
 */
package io.jwtgate.core.module;
