package io.jwtgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until {@code error_log} is applied ({@link Logging#apply}), and for commands that never
 * start a gateway ({@code -t}, {@code -v}, {@code -s}, {@code token}): errors to standard error, nothing else, so
 * command output stays clean. Found through Logback's {@link Configurator} service and done in code: reading a
 * logback.xml (an XML parser, Joran's rule engine) took about 0.3 s of every start on the 2-core machine.
 */
public final class BootLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.ERROR);
        root.addAppender(stderr(ctx, "%d{yyyy/MM/dd HH:mm:ss} [%level] %thread: %msg%n"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** A started appender writing {@code pattern} to standard error. */
    static ConsoleAppender<ILoggingEvent> stderr(LoggerContext ctx, String pattern) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget("System.err");
        console.setContext(ctx);
        console.setName("stderr");
        console.setEncoder(encoder(ctx, pattern));
        console.start();
        return console;
    }

    static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
