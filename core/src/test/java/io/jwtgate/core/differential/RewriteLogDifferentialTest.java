package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The rewrite module's error-log lines from stock nginx and from jwtgate for the same requests: {@code rewrite_log}
 * at notice (matches, misses, rewritten data and redirects), {@code using uninitialized} at warn (and its switch),
 * and the cycle of {@code last} rewrites at error.
 */
class RewriteLogDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%d;
                server_name log.test;
                rewrite_log on;
                location /r/ { rewrite ^/r/(.*)$ /t/$1 last; }
                location /t/ {
                    if ($arg_q ~ ^z) { return 200 "z"; }
                    return 200 "t $later";
                }
                location /red/ { rewrite ^/red/(.*) /t/$1?x=1 redirect; }
                location /loop/ { rewrite ^ /loop/ last; }
                location /quiet/ {
                    rewrite_log off;
                    uninitialized_variable_warn off;
                    rewrite ^ /quiet/x;
                    return 200 "$later";
                }
                location /never/ { set $later 1; return 204; }
            }
            """;

    static final String[] REQUESTS = {"/r/a?q=1", "/t/b?q=zz", "/red/c?y=2", "/loop/", "/quiet/"};

    @Test
    void sameLinesAsNginx() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        try (SideBySide pair = SideBySide.start(SERVER::formatted, CoreModules::create)) {
            root.addAppender(appender);
            for (String path : REQUESTS) {
                for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                    try (RawHttpClient c = RawHttpClient.connect(port)) {
                        c.send("GET " + path + " HTTP/1.1\r\nHost: log.test\r\nConnection: close\r\n\r\n")
                                .readResponse();
                    }
                }
            }
            for (ErrorLogLevel level : List.of(ErrorLogLevel.NOTICE, ErrorLogLevel.WARN, ErrorLogLevel.ERROR)) {
                List<String> expected = pair.nginxMessages(level.word()).stream()
                        .filter(m -> m.contains(", client: ")).toList();
                assertThat(expected).as("nginx's %s lines", level.word()).isNotEmpty();
                assertThat(appender.list).as(level.word())
                        .filteredOn(e -> ErrorLogLevel.of(e.getMarkerList() == null || e.getMarkerList().isEmpty()
                                ? null : e.getMarkerList().get(0), Level.valueOf(e.getLevel().toString())) == level)
                        .extracting(ILoggingEvent::getFormattedMessage)
                        .filteredOn(m -> m.contains(", client: "))
                        .containsExactlyElementsOf(expected);
            }
        } finally {
            root.detachAppender(appender);
        }
    }
}
