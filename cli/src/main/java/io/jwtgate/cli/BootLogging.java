package io.jwtgate.cli;

import static org.slf4j.event.Level.intToLevel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.jwtgate.core.conf.ErrorLogLevel;
import java.util.List;
import org.slf4j.Marker;

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
        root.addAppender(stderr(ctx, "%d{yyyy/MM/dd HH:mm:ss} [%nginxLevel] %thread: %msg%n"));
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

    /** An encoder for {@code pattern}, which may use {@code %nginxLevel} ({@link NginxLevel}). */
    static Encoder<ILoggingEvent> encoder(LoggerContext ctx, String pattern) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout(ctx, pattern));
        encoder.start();
        return encoder;
    }

    /** A started layout for {@code pattern}, which may use {@code %nginxLevel} ({@link NginxLevel}). */
    static PatternLayout layout(LoggerContext ctx, String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(ctx);
        layout.getInstanceConverterMap().put("nginxLevel", NginxLevel::new);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }

    /** The nginx level of a logged line, from its marker or its level. */
    static ErrorLogLevel levelOf(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        return ErrorLogLevel.of(markers == null || markers.isEmpty() ? null : markers.get(0),
                intToLevel(Level.toLocationAwareLoggerInteger(event.getLevel())));
    }

    /** The level word of nginx's error log ({@link ErrorLogLevel}): the line's marker, or its level. */
    static final class NginxLevel extends ClassicConverter {

        @Override
        public String convert(ILoggingEvent event) {
            return levelOf(event).word();
        }
    }
}
