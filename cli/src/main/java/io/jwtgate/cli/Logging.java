package io.jwtgate.cli;

import static org.slf4j.event.Level.intToLevel;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.spi.FilterReply;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.config.MainConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Configures Logback from {@code error_log}, in code (there is no logback.xml to edit): one appender, to the file,
 * to standard error or to a syslog server ({@link SyslogAppender}), behind an {@link AsyncAppender} so that an event
 * loop never waits for a disk or a socket.
 *
 * <p>nginx's levels are SLF4J's plus markers ({@link ErrorLogLevel}); the logger level lets through everything at
 * or above the level's SLF4J level, and {@link Threshold} then drops what nginx would not write (a plain INFO line,
 * nginx's {@code info}, under {@code error_log ... notice}; ERROR lines under {@code crit}). Netty's own loggers stay
 * at INFO or above even with {@code debug}, since their debug output is about Netty, not about requests.
 */
final class Logging {

    /** nginx's error log layout ({@code 2024/01/31 12:00:00 [error] 1234#worker-1: message}) and level words. */
    static final String LINE = "%d{yyyy/MM/dd HH:mm:ss} [%nginxLevel] " + ProcessHandle.current().pid()
            + "#%thread: %msg";

    static final String PATTERN = LINE + "%n";

    /** Marks an ERROR line as nginx's {@code [emerg]}: the process cannot start, or a configuration is rejected. */
    static final Marker EMERG = ErrorLogLevel.EMERG.marker();

    /** Marks an INFO line as nginx's {@code [notice]}: start, reload, reopen and shutdown. */
    static final Marker NOTICE = ErrorLogLevel.NOTICE.marker();

    // SUPPRESS CHECKSTYLE InlineQualifiedName: the Logger imported is logback's
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("jwtgate");

    private Logging() {
    }

    /**
     * Checks that the {@code error_log} file can be opened for appending, as nginx does at start-up.
     *
     * @return {@code null}, or the error in nginx's words ({@code open() "<file>" failed (<reason>)})
     */
    static String checkWritable(MainConf main) {
        Path file = main.errorLog();
        if (file == null) {
            return null;
        }
        try {
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            return null;
        } catch (IOException e) {
            return "open() \"" + file + "\" failed (" + Errno.describe(e) + ")";
        }
    }

    /** Replaces the whole Logback configuration with the one {@code main} describes. */
    static void apply(MainConf main) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Appender<ILoggingEvent> out;
        if (main.errorLogSyslog() != null) {
            SyslogAppender syslog = new SyslogAppender(main.errorLogSyslog(), BootLogging.layout(ctx, LINE));
            syslog.setContext(ctx);
            syslog.setName("error_log");
            syslog.start();
            out = syslog;
        } else if (main.errorLog() == null) {
            out = BootLogging.stderr(ctx, PATTERN);
        } else {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setFile(main.errorLog().toString());
            file.setAppend(true);
            file.setContext(ctx);
            file.setName("error_log");
            file.setEncoder(BootLogging.encoder(ctx, PATTERN));
            file.start();
            out = file;
        }
        AsyncAppender async = new AsyncAppender();
        async.setContext(ctx);
        async.setName("async");
        async.setQueueSize(4096);
        async.setDiscardingThreshold(0); // keep every level while there is room
        async.setNeverBlock(true); // a full queue drops a line rather than stall an event loop
        async.addAppender(out);
        async.start();
        ErrorLogLevel threshold = ErrorLogLevel.named(main.errorLogLevel());
        Level level = Level.toLevel(threshold.slf4j().name());
        ctx.addTurboFilter(new Threshold(threshold));
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(async);
        ctx.getLogger("io.netty").setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
    }

    /**
     * USR1: closes the {@code error_log} file and opens a new one at its path (a rotation renamed the old one).
     * Lines are written by the {@link AsyncAppender}'s thread, which the appender's lock holds back meanwhile;
     * the threads that log only queue, so none waits for the disk. When the new file cannot be opened the old one
     * stays in use, as in nginx.
     */
    static void reopen() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> async = ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("async");
        if (async instanceof AsyncAppender a && a.getAppender("error_log") instanceof FileAppender<?> file) {
            try {
                file.openFile(file.getFile());
            } catch (IOException e) {
                log.error(EMERG, "open() \"{}\" failed ({})", file.getFile(), Errno.describe(e));
            }
        }
    }

    /** Flushes and closes the appenders; called last on the way out. */
    static void close() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    /**
     * Drops the lines below {@code error_log}'s level that Logback's own levels cannot tell apart: nginx's
     * {@code info} (a plain INFO line) under {@code notice}, {@code error} under {@code crit}. Runs before a line is
     * built, so a dropped line costs a comparison.
     */
    static final class Threshold extends TurboFilter {

        private final ErrorLogLevel threshold;

        Threshold(ErrorLogLevel threshold) {
            this.threshold = threshold;
        }

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                Throwable t) {
            if (level == null) {
                return FilterReply.NEUTRAL;
            }
            ErrorLogLevel l = ErrorLogLevel.of(marker, intToLevel(Level.toLocationAwareLoggerInteger(level)));
            return l.compareTo(threshold) < 0 ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
