package io.jwtgate.core.config;

import io.jwtgate.core.server.HttpRuntime;
import java.util.List;

/**
 * One loaded configuration: the process settings and, when there is an {@code http} block, its runtime form.
 *
 * @param file the main configuration file
 * @param main the main-context settings
 * @param http the http runtime, or {@code null} without an {@code http} block
 * @param warnings start-up warnings, for whoever loads the configuration to print or log: each is
 *     {@code <message> in <file>:<line>} when it concerns one directive, as nginx prints them
 */
public record GatewayConfig(String file, MainConf main, HttpRuntime http, List<String> warnings) {
}
