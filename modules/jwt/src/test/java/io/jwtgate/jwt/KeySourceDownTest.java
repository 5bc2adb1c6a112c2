package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.assertInvalid;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.map.MapModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.Behaviour;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.TestBackend;
import io.jwtgate.testing.TestGateway;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * When every key source asked failed and no other key exists, the answer is 503 with {@code Retry-After}, not 401
 * (docs/jwt.md#jwt_key_request): against real upstreams that refuse, never answer, answer 500 or answer garbage.
 */
class KeySourceDownTest {

    static final KeyPair KEY = Fixtures.rsa(2048);
    static final KeyPair OTHER = Fixtures.rsa(2048);
    static final Fixtures.TestClock clock = new Fixtures.TestClock();
    static final List<AutoCloseable> open = new ArrayList<>();
    static TestBackend api;
    static TestGateway gw;

    static TestBackend backend(Behaviour b) {
        TestBackend t = TestBackend.start(b);
        open.add(t);
        return t;
    }

    @BeforeAll
    static void start() throws Exception {
        api = backend(Behaviour.echo());
        TestBackend closed = TestBackend.start(Behaviour.echo());
        int refused = closed.port();
        closed.close();
        int silent = backend(Behaviour.always(Reply.never())).port();
        int error = backend(Behaviour.always(Reply.status(500, "down"))).port();
        int garbage = backend(Behaviour.always(Reply.status(200, "<html>not json</html>"))).port();
        String http = """
                map $http_x_src $src { default ""; good /keys/good; }
                """;
        String server = """
                add_header X-Jwt-Status $jwt_status always;
                location /keys/refused { internal; proxy_pass http://127.0.0.1:%d; }
                location /keys/silent { internal; proxy_pass http://127.0.0.1:%d; proxy_read_timeout 1s; }
                location /keys/error { internal; proxy_pass http://127.0.0.1:%d; }
                location /keys/garbage { internal; proxy_pass http://127.0.0.1:%d; }
                location /keys/good { internal; echo '%s'; }
                location /keys/empty { internal; echo '{"keys":[]}'; }
                location /refused { jwt_key_request /keys/refused; proxy_pass http://127.0.0.1:%d; }
                location /silent { jwt_key_request /keys/silent; proxy_pass http://127.0.0.1:%6$d; }
                location /error { jwt_key_request /keys/error; proxy_pass http://127.0.0.1:%6$d; }
                location /garbage { jwt_key_request /keys/garbage; proxy_pass http://127.0.0.1:%6$d; }
                location /half { jwt_key_request /keys/error; jwt_key_request /keys/good;
                                 proxy_pass http://127.0.0.1:%6$d; }
                location /empty { jwt_key_request /keys/error; jwt_key_request /keys/empty;
                                  proxy_pass http://127.0.0.1:%6$d; }
                location /skipped { jwt_key_request $src; jwt_key_request $src;
                                    proxy_pass http://127.0.0.1:%6$d; }
                """.formatted(refused, silent, error, garbage, KeyRequestTest.jwks(KeyRequestTest.jwk(KEY, "k1")),
                api.port());
        gw = TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server), () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new MapModule());
            l.addAll(ProxyModules.create(clock));
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            return l;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static String token(KeyPair kp) {
        return Fixtures.rs(JWSAlgorithm.RS256, kp, "k1", claims("alice", ""));
    }

    static RawResponse get(String path, KeyPair kp, String... more) {
        List<String> h = new ArrayList<>(List.of(bearer(token(kp))));
        h.addAll(List.of(more));
        return RawHttpClient.get(gw.port(), path, h.toArray(new String[0]));
    }

    /** The 503, with {@code add_header ... always} applied and {@code $jwt_status} set. */
    static void assertUnavailable(RawResponse r) {
        Fixtures.assertUnavailable(r);
        assertThat(r.header("X-Jwt-Status")).isEqualTo("keys_unavailable");
    }

    @Test
    void everySourceFailedIs503AndNothingReachesTheBackend() {
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.jwt");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        int before = api.requestCount();
        try {
            for (String path : List.of("/refused", "/silent", "/error", "/garbage")) {
                assertUnavailable(get(path + "/x", KEY));
            }
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(api.requestCount()).isEqualTo(before);
        assertThat(logged.list)
                .filteredOn(e -> e.getFormattedMessage().startsWith("jwt: key sources unavailable (keys_unavailable)"))
                .hasSize(4).allMatch(e -> e.getLevel() == Level.ERROR)
                .allMatch(e -> e.getFormattedMessage().contains("status 503, kid \"k1\", alg \"RS256\", client 127."));
    }

    @Test
    void oneSourceFailedAndOneAnswered() {
        int before = api.requestCount();
        RawResponse ok = get("/half/x", KEY);
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.header("X-Jwt-Status")).isEqualTo("ok");
        assertThat(api.requestCount()).isEqualTo(before + 1);
        RawResponse bad = get("/half/x", OTHER);
        assertInvalid(bad, "signature verification failed");
        assertThat(bad.header("Retry-After")).isNull();
        assertThat(api.requestCount()).isEqualTo(before + 1);
    }

    @Test
    void aSourceThatAnsweredWithoutUsableKeysIs401() {
        assertInvalid(get("/empty/x", KEY), "no usable key");
    }

    @Test
    void everySourceSkippedIs401() {
        RawResponse r = get("/skipped/x", KEY);
        assertInvalid(r, "no usable key");
        assertThat(r.header("X-Jwt-Status")).isEqualTo("no_key");
        assertThat(get("/skipped/x", KEY, "X-Src: good").code()).isEqualTo(200);
    }
}
