package io.jwtgate.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.moduletest.FlowTestModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The request flow against stock nginx: find config after a URI change (internal locations, the automatic 301, 413
 * on {@code Content-Length}, keep-alive of the final location), internal redirects, named locations, reroutes and
 * their budget of ten, and an {@code if} pseudo-location's configuration. nginx reaches these with
 * {@code try_files}, {@code rewrite} and {@code if}; jwtgate with {@link FlowTestModule}, which calls the module
 * interface from the rewrite phases. Whole responses (masked) and the error lines must be the same.
 */
class RequestFlowDifferentialTest {

    /** The server blocks, with {@code %1$s} for nginx's or jwtgate's form of each step. */
    private static String servers(int port, boolean nginx) {
        StringBuilder hops = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            // /hN: ten redirects end in /h10; /gN: the eleventh redirect, to /g11, is one too many
            if (i < 10) {
                hops.append("location = /h").append(i).append(" { ").append(redirect(nginx, "/h" + (i + 1)))
                        .append(" }\n");
            }
            hops.append("location = /g").append(i).append(" { ").append(redirect(nginx, "/g" + (i + 1)))
                    .append(" }\n");
        }
        return """
                server {
                    listen 127.0.0.1:%1$d;
                    server_name flow.test;
                    %16$s
                    client_max_body_size 10;
                    location /a { %2$s }
                    location /internal/ { internal; return 200 "target $uri $args $is_args $query_string"; }
                    location /loop { %3$s }
                    location /nl { %4$s }
                    location @n { return 200 "named $uri $args"; }
                    location /nmissing { %5$s }
                    location /ncycle { %6$s }
                    location @cycle { %6$s }
                    location /r { %7$s }
                    location /s { %8$s }
                    location /t { return 200 "t $uri $args"; }
                    location /px/ { %9$s }
                    location /sx { %10$s }
                    location /small { return 200 "small"; }
                    location /tosmall { client_max_body_size 1k; %11$s }
                    location /big { client_max_body_size 1k; return 200 "big"; }
                    location /ka0 { keepalive_timeout 0; return 200 "ka0"; }
                    location /kr { %12$s }
                    location /if { %13$s add_header X-Loc loc; %17$s }
                    %14$s
                }
                server {
                    listen 127.0.0.1:%1$d;
                    server_name srv.test;
                    %15$s
                    location /new { return 200 "new $uri"; }
                    location / { return 200 "other $uri"; }
                }
                """.formatted(port,
                redirect(nginx, "/internal/target?v=$uri&$args"), // $uri and $args read before the redirect
                redirect(nginx, "/loop"),
                named(nginx, "n"),
                named(nginx, "missing"),
                named(nginx, "cycle"),
                uri(nginx, "/r"),
                uri(nginx, "/t"),
                nginx ? "proxy_pass http://127.0.0.1:9;" : "flow_auto_redirect; return 200 \"px\";",
                uri(nginx, "/px"),
                uri(nginx, "/small"),
                redirect(nginx, "/ka0"),
                nginx ? "if ($uri) { add_header X-If in-if; }" : "flow_if { add_header X-If in-if; }",
                hops + "location = /h10 { return 200 \"end $uri\"; }\n" + (nginx ? ""
                        : "location = /m { flow_redirect /mark; }\nlocation = /mark { return 200 \"$flow_mark\"; }\n"
                        + "location = /later { flow_redirect_later /internal/later; }"),
                uri(nginx, "/new"),
                nginx ? "root /nonexistent/flow;" : "", // try_files finds no file there
                nginx ? "return 200 \"if\";" : "flow_echo if;");
    }

    private static String redirect(boolean nginx, String target) {
        if (nginx) {
            return "try_files /nofile " + target + ";";
        }
        int q = target.indexOf('?');
        return q < 0 ? "flow_redirect " + target + ";"
                : "flow_redirect " + target.substring(0, q) + " " + target.substring(q + 1) + ";";
    }

    private static String named(boolean nginx, String name) {
        return nginx ? "try_files /nofile @" + name + ";" : "flow_named " + name + ";";
    }

    private static String uri(boolean nginx, String uri) {
        return nginx ? "rewrite ^ " + uri + ";" : "flow_uri " + uri + ";";
    }

    static final String[] REQUESTS = {
        "GET /a?x=1 HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /a HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /internal/target HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /loop HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /nl?k=v HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /nmissing HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /ncycle HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /r HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /s?q=2 HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /px?a=1 HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /sx?b=2 HTTP/1.1\r\nHost: flow.test\r\n",
        "POST /small HTTP/1.1\r\nHost: flow.test\r\nContent-Length: 11\r\n",
        "POST /tosmall HTTP/1.1\r\nHost: flow.test\r\nContent-Length: 11\r\n",
        "POST /big HTTP/1.1\r\nHost: flow.test\r\nContent-Length: 11\r\n",
        "GET /kr HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /if HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /h0 HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /g0 HTTP/1.1\r\nHost: flow.test\r\n",
        "GET /old HTTP/1.1\r\nHost: srv.test\r\n",
    };

    /** The core modules and {@link FlowTestModule}. */
    static List<HttpModule> modules() {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        m.add(new FlowTestModule());
        return m;
    }

    static StockNginx nginx;
    static int nginxPort;
    static TestGateway gateway;
    static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        StockNginx.assumeAvailable();
        nginxPort = TestGateway.freePort();
        nginx = StockNginx.start(servers(nginxPort, true), nginxPort);
        gateway = TestGateway.start("http {\n" + servers(TestGateway.freePort(), false) + "}\n",
                RequestFlowDifferentialTest::modules);
        LOG.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        if (gateway != null) {
            gateway.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void sameResponsesAndErrorLinesAsNginx() throws Exception {
        List<String> diffs = new ArrayList<>();
        for (String request : REQUESTS) {
            String expected = exchange(nginxPort, request);
            String actual = exchange(gateway.port(), request);
            if (!expected.equals(actual)) {
                diffs.add(request.lines().findFirst().orElseThrow() + "\n--- nginx:\n" + expected
                        + "\n--- jwtgate:\n" + actual);
            }
        }
        assertThat(diffs).as("requests answered differently").isEmpty();
        List<String> expected = nginx.errorMessages();
        assertThat(expected).as("nginx's error lines").hasSize(7)
                .anyMatch(m -> m.startsWith("rewrite or internal redirection cycle while internally redirecting to"))
                .anyMatch(m -> m.startsWith("rewrite or internal redirection cycle while redirect to named"))
                .anyMatch(m -> m.startsWith("rewrite or internal redirection cycle while processing"))
                .anyMatch(m -> m.startsWith("could not find named location"))
                .anyMatch(m -> m.startsWith("client intended to send too large body"));
        assertThat(LOG.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.startsWith("rewrite or internal") || m.startsWith("could not find named")
                        || m.startsWith("client intended"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void internalRedirectClearsModuleState() {
        // flow_redirect sets the module's state before it redirects; the redirect clears it
        assertThat(exchange(gateway.port(), "GET /m HTTP/1.1\r\nHost: flow.test\r\n")).endsWith("\r\n\r\nnull");
    }

    @Test
    void internalRedirectFromAnEventLoopTask() {
        assertThat(exchange(gateway.port(), "GET /later?x=1 HTTP/1.1\r\nHost: flow.test\r\n"))
                .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\ntarget /internal/later   ");
    }

    /** Sends {@code head} (and 11 bytes of body for a POST) and returns the whole response, masked. */
    private static String exchange(int port, String head) {
        String body = head.startsWith("POST") ? "hello world" : "";
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(head + "\r\n" + body).readResponse();
            return SideBySide.masked(r).replace(":" + port + "/", ":PORT/");
        }
    }
}
