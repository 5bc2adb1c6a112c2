package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.Behaviour;
import io.jwtgate.testing.Openssl;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.RecordedRequest;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code $upstream_*} variables of every try in an access log, side by side with stock nginx: a plain response,
 * a refused first peer then a good one, a first peer whose 502 {@code proxy_next_upstream} passes over, a slow
 * backend, a chunked and an unbuffered response, a request body, {@code Set-Cookie}s, internal redirects, TLS. Byte
 * counts, statuses, addresses and cookies are the same as nginx's; times, which differ run to run, have nginx's form
 * and the same {@code -} in the same places, and keep connect &lt;= header &lt;= response time per try.
 */
class UpstreamVariablesDifferentialTest {

    static final String HTTP = """
            log_format up '$request_uri|$upstream_addr|$upstream_status|$upstream_response_length|'
                          '$upstream_bytes_received|$upstream_bytes_sent|$upstream_cookie_sid|'
                          '$upstream_cookie_nope|$upstream_trailer_x|'
                          '$upstream_connect_time|$upstream_header_time|$upstream_response_time';
            upstream refused_first { server 127.0.0.1:%3$d max_fails=0; server 127.0.0.1:%4$d backup; }
            upstream bad_first { server 127.0.0.1:%5$d max_fails=0; server 127.0.0.1:%4$d backup; }
            server {
                listen 127.0.0.1:%1$d;
                access_log %2$s/access-%1$d.log up;
                location / { proxy_pass http://127.0.0.1:%4$d; }
                location /refused { proxy_pass http://refused_first; }
                location /bad { proxy_next_upstream error http_502; proxy_pass http://bad_first; }
                location /chunked { proxy_http_version 1.1; proxy_pass http://127.0.0.1:%4$d; }
                location /unbuffered { proxy_buffering off; proxy_pass http://127.0.0.1:%4$d; }
                location /tls {
                    proxy_ssl_verify on;
                    proxy_ssl_trusted_certificate %2$s/tls.pem;
                    proxy_ssl_name localhost;
                    proxy_ssl_server_name on;
                    proxy_pass https://127.0.0.1:%6$d;
                }
                location /local { return 200 "no upstream\\n"; }
                location /redirect {
                    proxy_intercept_errors on;
                    error_page 502 = /again$uri;
                    proxy_pass http://127.0.0.1:%5$d;
                }
                location /again { proxy_pass http://127.0.0.1:%4$d; }
                location /redirect-to-local {
                    proxy_intercept_errors on;
                    error_page 502 /local;
                    proxy_pass http://127.0.0.1:%5$d;
                }
            }
            """;

    /** A time as nginx prints it: seconds with milliseconds. */
    static final String TIME = "\\d+\\.\\d{3}";
    /** Between two tries: of one location, or of two (after an internal redirect). */
    static final String TRY_SEPARATOR = ", | : ";

    @TempDir
    static Path logs;
    static TestBackend good;
    static TestBackend bad;
    static TlsBackend tls;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        good = TestBackend.start(UpstreamVariablesDifferentialTest::reply);
        bad = TestBackend.start(Behaviour.always(Reply.status(502, "bad gateway\n")));
        // a self-signed certificate by the openssl CLI, which both trust
        Openssl.run(logs, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "tls.key", "-out", "tls.pem", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost");
        tls = new TlsBackend(logs.resolve("tls.pem"), logs.resolve("tls.key"));
        int refused = TestGateway.freePort(); // nothing listens there: connect() is refused
        pair = SideBySide.start(port -> HTTP.formatted(port, logs, refused, good.port(), bad.port(), tls.port()),
                () -> {
                    List<HttpModule> all = new ArrayList<>(CoreModules.create());
                    all.addAll(ProxyModules.create());
                    return all;
                });
    }

    private static Reply reply(RecordedRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/slow")) {
            return Reply.delay(Duration.ofMillis(300), Reply.status(200, "late\n"));
        }
        if (uri.startsWith("/chunked")) {
            return Reply.chunked(200, List.of("first piece\n", "second\n"));
        }
        if (uri.startsWith("/cookies")) {
            return Reply.status(200, "cookies\n").header("Set-Cookie", "other=1; Path=/")
                    .header("Set-Cookie", "SID = abc def ; HttpOnly").header("Set-Cookie", "sid=second");
        }
        if (uri.startsWith("/unbuffered")) {
            return Reply.stream(200_000);
        }
        return Reply.status(200, "hello from the backend\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (good != null) {
            good.close();
        }
        if (bad != null) {
            bad.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void oneTry() throws Exception {
        assertSame("/plain?a=1");
    }

    @Test
    void refusedFirstPeerThenGoodOne() throws Exception {
        String[] f = assertSame("/refused");
        assertThat(f[1]).contains(", ");
    }

    @Test
    void statusPassedOverThenGoodOne() throws Exception {
        String[] f = assertSame("/bad");
        assertThat(f[2]).isEqualTo("502, 200");
    }

    @Test
    void slowBackend() throws Exception {
        for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
            String[] f = line(port, "/slow", "GET /slow HTTP/1.0\r\n\r\n");
            // 300 ms, give or take the clocks' rounding
            assertThat(Double.parseDouble(f[10])).as("header time on %d", port).isGreaterThanOrEqualTo(0.29);
            assertThat(Double.parseDouble(f[11])).as("response time on %d", port).isLessThan(5);
        }
        assertSame("/slow/again");
    }

    @Test
    void chunkedResponseCountsItsFraming() throws Exception {
        assertSame("/chunked");
    }

    @Test
    void unbufferedResponse() throws Exception {
        assertSame("/unbuffered");
    }

    /** With TLS, the bytes are counted before encryption and after decryption, as nginx counts them. */
    @Test
    void tlsUpstreamCountsPlainBytes() throws Exception {
        String[] f = assertSame("/tls");
        assertThat(Long.parseLong(f[3])).isEqualTo(TlsBackend.JWKS.length());
    }

    @Test
    void cookies() throws Exception {
        String[] f = assertSame("/cookies");
        assertThat(f[6]).isEqualTo("abc def ");
        assertThat(f[7]).isEqualTo("-");
    }

    @Test
    void requestBody() throws Exception {
        String body = "0123456789".repeat(100);
        String request = "POST /post HTTP/1.0\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        String[] nginx = line(pair.nginxPort(), "/post", request);
        String[] jwtgate = line(pair.gatewayPort(), "/post", request);
        assertThat(Long.parseLong(nginx[5])).isGreaterThan(body.length());
        assertSameExceptTimes(nginx, jwtgate);
    }

    @Test
    void noUpstream() throws Exception {
        String[] f = assertSame("/local");
        assertThat(String.join("|", f)).isEqualTo("/local|-|-|-|-|-|-|-|-|-|-|-");
    }

    @Test
    void internalRedirectStartsNewGroup() throws Exception {
        String[] f = assertSame("/redirect");
        assertThat(f[2]).isEqualTo("502 : 200");
        assertThat(f[11]).contains(" : ");
    }

    @Test
    void internalRedirectToLocalContentKeepsTries() throws Exception {
        String[] f = assertSame("/redirect-to-local");
        assertThat(f[2]).isEqualTo("502");
    }

    /** Sends {@code GET uri} to both and compares their log lines; returns nginx's fields. */
    private static String[] assertSame(String uri) throws Exception {
        String request = "GET " + uri + " HTTP/1.0\r\n\r\n";
        String[] nginx = line(pair.nginxPort(), uri, request);
        String[] jwtgate = line(pair.gatewayPort(), uri, request);
        assertSameExceptTimes(nginx, jwtgate);
        return nginx;
    }

    private static void assertSameExceptTimes(String[] nginx, String[] jwtgate) {
        assertThat(String.join("|", List.of(jwtgate).subList(0, 9)))
                .isEqualTo(String.join("|", List.of(nginx).subList(0, 9)));
        for (int i = 9; i < 12; i++) {
            assertThat(shape(jwtgate[i])).as("field %d: %s", i, jwtgate[i]).isEqualTo(shape(nginx[i]));
        }
        assertOrdered(nginx);
        assertOrdered(jwtgate);
    }

    /** Each time replaced by {@code T} after checking the form of the whole; {@code -} and the separators stay. */
    private static String shape(String times) {
        String shape = times.replaceAll(TIME, "T");
        assertThat(shape).as(times).matches("[T-]((, | : )[T-])*");
        return shape;
    }

    /** Per try: connect time &lt;= header time &lt;= response time, where they are taken. */
    private static void assertOrdered(String[] f) {
        if (f[11].equals("-")) {
            return;
        }
        String[] connect = f[9].split(TRY_SEPARATOR);
        String[] header = f[10].split(TRY_SEPARATOR);
        String[] response = f[11].split(TRY_SEPARATOR);
        for (int i = 0; i < response.length; i++) {
            assertThat(response[i]).matches(TIME);
            double total = Double.parseDouble(response[i]);
            if (!header[i].equals("-")) {
                assertThat(Double.parseDouble(header[i])).isLessThanOrEqualTo(total);
                assertThat(connect[i]).matches(TIME);
                assertThat(Double.parseDouble(connect[i])).isLessThanOrEqualTo(Double.parseDouble(header[i]));
            } else if (!connect[i].equals("-")) {
                assertThat(Double.parseDouble(connect[i])).isLessThanOrEqualTo(total);
            }
        }
    }

    /** Sends {@code request}, reads the whole response, and returns the fields of the log line of {@code uri}. */
    private static String[] line(int port, String uri, String request) throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(request).readResponse();
            assertThat(r.isBodyComplete()).as("response on %d: %s", port, r).isTrue();
        }
        Path log = logs.resolve("access-" + port + ".log");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith(uri + "|")) {
                        return line.split("\\|", -1);
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line for " + uri + " in " + log);
    }
}
