/**
 * Loading a configuration: walking the directive tree, merging module settings down http, server and location, and
 * building the runtime.
 */
package io.jwtgate.core.config;
