package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The request context of the error line for an upstream that refuses the connection, from stock nginx and from
 * jwtgate, for the same requests: a client request ({@code upstream:}, {@code host:} as sent, {@code referrer:},
 * none without the headers) and a subrequest (nginx's {@code auth_request}, jwtgate's {@link
 * SubrequestAndPipeliningTest.Probe}, both to {@code /internal/keys}: {@code subrequest:} and the client request's
 * line and headers).
 */
class UpstreamErrorLogDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%d;
                server_name ctx.test;
                location /up/ { proxy_pass http://127.0.0.1:%d/x/; }
                location /internal/ { internal; proxy_pass http://127.0.0.1:%2$d/jwks/; }
                location /probe { %s }
            }
            """;

    static final String[] REQUESTS = {
        "GET /up/a?b HTTP/1.1\r\nHost: Ctx.Test:8080\r\nReferer: "
                + new String("http://r/\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) + "\r\n",
        "GET /up/a%20b HTTP/1.0\r\n",
        "GET /probe?q=1 HTTP/1.1\r\nHost: h:1\r\nReferer: r\r\n",
    };

    @Test
    void sameContextAsNginx() throws Exception {
        int refused = TestGateway.freePort(); // nothing listens there
        int nginxPort = TestGateway.freePort();
        int gatewayPort = TestGateway.freePort();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        assertThat(StockNginx.available()).as("stock nginx at /usr/sbin/nginx").isTrue();
        try (StockNginx nginx = StockNginx.start(SERVER.formatted(nginxPort, refused,
                "auth_request /internal/keys;"), nginxPort);
                TestGateway gw = TestGateway.start("events { }\nhttp {\n" + SERVER.formatted(gatewayPort, refused, "")
                        + "}\n", () -> {
                            List<HttpModule> all = new ArrayList<>(CoreModules.create());
                            all.add(new SubrequestAndPipeliningTest.Probe());
                            all.addAll(ProxyModules.create());
                            return all;
                        })) {
            root.addAppender(appender);
            for (String request : REQUESTS) {
                for (int port : new int[] {nginxPort, gatewayPort}) {
                    try (RawHttpClient c = RawHttpClient.connect(port)) {
                        c.send(request + "Connection: close\r\n\r\n").readResponse();
                    }
                }
            }
            List<String> expected = contexts(nginx.errorMessages());
            assertThat(expected).hasSize(REQUESTS.length);
            assertThat(expected.get(2)).contains(", subrequest: \"/internal/keys\", upstream: ");
            assertThat(contexts(appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList()))
                    .containsExactlyElementsOf(expected);
        } finally {
            root.detachAppender(appender);
        }
    }

    /** The request contexts of the lines about connecting to the upstream (nginx adds others for auth_request). */
    private static List<String> contexts(List<String> messages) {
        return messages.stream().filter(m -> m.contains(" while connecting to upstream, client: "))
                .map(m -> m.substring(m.indexOf(", client: "))).toList();
    }
}
