package io.jwtgate.core.config;

import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.server.HttpRuntime;
import java.util.List;

/**
 * One loaded configuration: the process settings and, when there is an {@code http} block, its runtime form.
 *
 * @param file the main configuration file
 * @param main the main-context settings
 * @param http the http runtime, or {@code null} without an {@code http} block
 * @param messages start-up messages in the order they were made, for whoever loads the configuration to print or
 *     log (docs/cli.md#-t-test-the-configuration)
 */
public record GatewayConfig(String file, MainConf main, HttpRuntime http, List<Message> messages) {

    /**
     * A start-up message: a warning or a notice ({@code HttpInit.warn}, {@code HttpInit.notice}).
     *
     * @param text {@code <message> in <file>:<line>} when it concerns one directive, as nginx prints them
     */
    public record Message(ErrorLogLevel level, String text) {
    }

    /** The texts of the warnings. */
    public List<String> warnings() {
        return texts(ErrorLogLevel.WARN);
    }

    /** The texts of the notices. */
    public List<String> notices() {
        return texts(ErrorLogLevel.NOTICE);
    }

    private List<String> texts(ErrorLogLevel level) {
        return messages.stream().filter(m -> m.level() == level).map(Message::text).toList();
    }
}
