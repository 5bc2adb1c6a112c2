package io.jwtgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The error line of an access denial, from stock nginx and from jwtgate, for the same requests: the same message
 * and request context ({@code host:} as sent, {@code referrer:}, no {@code host:} without the header).
 */
class DenialLogDifferentialTest {

    static final String REFERER = new String("http://r/\u00e9".getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1); // the raw UTF-8 bytes, one char each

    static final String[] REQUESTS = {
        "GET /deny?a=1 HTTP/1.1\r\nHost: Ctx.Test:8080\r\nReferer: " + REFERER + "\r\n",
        "GET /deny/x HTTP/1.0\r\n",
        "GET http://abs.example:99/deny HTTP/1.1\r\nHost: h\r\nReferer: a\r\nReferer: b\r\n",
    };

    @Test
    void sameErrorLinesAsNginx() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        try (SideBySide pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%d;
                    server_name ctx.test www.ctx.test;
                    location /deny { deny all; }
                }
                """.formatted(port), AccessModuleTest.MODULES)) {
            root.addAppender(appender);
            for (String request : REQUESTS) {
                for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                    try (RawHttpClient c = RawHttpClient.connect(port)) {
                        assertThat(c.send(request + "Connection: close\r\n\r\n").readResponse().code())
                                .isEqualTo(403);
                    }
                }
            }
            List<String> expected = pair.nginxErrorMessages();
            assertThat(expected).hasSize(REQUESTS.length)
                    .allMatch(m -> m.startsWith("access forbidden by rule, client: 127.0.0.1, server: ctx.test"));
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(m -> m.startsWith("access forbidden"))
                    .containsExactlyElementsOf(expected);
        } finally {
            root.detachAppender(appender);
        }
    }
}
