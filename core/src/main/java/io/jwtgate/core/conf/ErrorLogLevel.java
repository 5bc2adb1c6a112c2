package io.jwtgate.core.conf;

import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import org.slf4j.spi.NOPLoggingEventBuilder;

/**
 * nginx's eight error-log levels on SLF4J's five (docs/configuration.md#error_log). Where SLF4J has no level of
 * its own, a line carries a marker named after nginx's level: {@code notice} on INFO, {@code crit}, {@code alert}
 * and {@code emerg} on ERROR. A plain INFO line is nginx's {@code info}, below {@code notice}, so that
 * {@code error_log ... notice} leaves out what nginx leaves out (client errors, and {@code jwt_log_level info}
 * rejections). The error log's filter ({@link #of(Marker, Level)}) and its level word read the same table.
 */
public enum ErrorLogLevel {
    DEBUG(Level.DEBUG),
    INFO(Level.INFO),
    NOTICE(Level.INFO),
    WARN(Level.WARN),
    ERROR(Level.ERROR),
    CRIT(Level.ERROR),
    ALERT(Level.ERROR),
    EMERG(Level.ERROR);

    private static final List<ErrorLogLevel> MARKED = List.of(NOTICE, CRIT, ALERT, EMERG);

    private final Level slf4j;
    private final Marker marker;

    ErrorLogLevel(Level slf4j) {
        this.slf4j = slf4j;
        String word = word();
        // the levels SLF4J has by name need no marker; the others are told by theirs
        this.marker = word.equals(slf4j.name().toLowerCase(Locale.ROOT)) ? null : MarkerFactory.getMarker(word);
    }

    /** The level's name in a configuration and in the error log: {@code notice}, {@code emerg}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The SLF4J level a line of this level is logged at. */
    public Level slf4j() {
        return slf4j;
    }

    /** The marker a line of this level carries, or {@code null} for the levels SLF4J has. */
    public Marker marker() {
        return marker;
    }

    /** The level named {@code word} ({@code error_log}, {@code jwt_log_level}), or {@code null}. */
    public static ErrorLogLevel named(String word) {
        for (ErrorLogLevel l : values()) {
            if (l.word().equals(word)) {
                return l;
            }
        }
        return null;
    }

    /** The nginx level of a line logged at {@code level} with {@code marker} (which may be {@code null}). */
    public static ErrorLogLevel of(Marker marker, Level level) {
        if (marker != null) {
            for (ErrorLogLevel l : MARKED) {
                if (marker.contains(l.marker)) {
                    return l;
                }
            }
        }
        return switch (level) {
            case ERROR -> ERROR;
            case WARN -> WARN;
            case INFO -> INFO;
            case DEBUG, TRACE -> DEBUG;
        };
    }

    /** Whether {@code log} writes lines of this level. */
    public boolean isEnabled(Logger log) {
        // asked with the marker: the error log's filter tells a marked INFO line (notice) from a plain one (info)
        return marker == null ? log.isEnabledForLevel(slf4j)
                : slf4j == Level.INFO ? log.isInfoEnabled(marker) : log.isErrorEnabled(marker);
    }

    /** A line of this level on {@code log}; a no-op builder when the level is not written. */
    public LoggingEventBuilder at(Logger log) {
        if (!isEnabled(log)) {
            return NOPLoggingEventBuilder.singleton();
        }
        LoggingEventBuilder b = log.makeLoggingEventBuilder(slf4j);
        return marker == null ? b : b.addMarker(marker);
    }
}
