package io.jwtgate.cli;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.jwtgate.core.codec.SyslogPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code error_log syslog:...}: each line as one UDP datagram, as nginx sends it: the syslog header with the line's
 * own level as severity ({@code severity=} applies to access logs only), then the whole error-log line, date, level,
 * pid and thread included, without its newline. Runs behind the {@code AsyncAppender}, so a logging thread never
 * waits; a failed send is dropped (reporting it would log through this appender again), and the next line tries
 * with a new socket.
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {

    private final SyslogPeer peer;
    private final PatternLayout layout;

    SyslogAppender(SyslogPeer peer, PatternLayout layout) {
        this.peer = peer;
        this.layout = layout;
    }

    @Override
    protected void append(ILoggingEvent event) {
        int severity = SyslogPeer.severityOf(BootLogging.levelOf(event).word());
        String line = peer.header(severity) + layout.doLayout(event);
        try {
            peer.send(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            addWarn("send() to syslog failed", e); // Logback's status, not the error log: it would come here
        }
    }

    @Override
    public void stop() {
        super.stop();
        peer.close();
    }
}
