package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Each rejection is logged once, at {@code jwt_log_level} (inherited like the other jwt directives), with its reason
 * (text and word), kid, alg and client but nothing else of the token (not even its {@code sub}); a flood of
 * identical lines is bounded. The test logger is at INFO, as {@code error_log ... notice} is.
 */
class RejectionLogTest {

    static final String FORGED_SECRET = "ffffffffffffffffffffffffffffffff";

    final Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.jwt");
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    static TestGateway gateway(String http) throws Exception {
        String server = """
                jwt_secret "%s";
                location /default { echo ""; }
                location /warn { jwt_log_level warn; location /warn/inner { echo ""; } echo ""; }
                location /quiet { jwt_log_level debug; echo ""; }
                location /vars { add_header X-Jwt "$jwt_status|$jwt_kid|$jwt_alg|$jwt_sub" always; echo ""; }
                """.formatted(SECRET);
        return TestGateway.start(Fixtures.conf(TestGateway.freePort(), http, server),
                Fixtures.modules(new Fixtures.TestClock()));
    }

    static String forged(String sub) {
        return Fixtures.hs(JWSAlgorithm.HS256, FORGED_SECRET, "k-" + sub, claims(sub, ""));
    }

    List<ILoggingEvent> rejections() {
        return logged.list.stream().filter(e -> e.getFormattedMessage().startsWith("jwt: ")).toList();
    }

    @Test
    void eachRejectionOnceAtTheLevelOfItsLocation() throws Exception {
        String token = forged("alice");
        try (TestGateway gw = gateway("")) {
            assertThat(RawHttpClient.get(gw.port(), "/default", bearer(token)).code()).isEqualTo(401);
            assertThat(RawHttpClient.get(gw.port(), "/warn/inner", bearer(forged("bob"))).code()).isEqualTo(401);
            assertThat(RawHttpClient.get(gw.port(), "/quiet", bearer(forged("carol"))).code()).isEqualTo(401);
        }
        assertThat(rejections()).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        Tuple.tuple(Level.INFO, "jwt: signature verification failed (bad_signature), "
                                + "status 401, kid \"k-alice\", alg \"HS256\", client 127.0.0.1"),
                        Tuple.tuple(Level.WARN, "jwt: signature verification failed (bad_signature), "
                                + "status 401, kid \"k-bob\", alg \"HS256\", client 127.0.0.1"));
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains(signature))
                .noneMatch(e -> e.getFormattedMessage().contains("alice\", client"));
    }

    /**
     * {@code $jwt_status} is the reason's word; {@code $jwt_kid} and {@code $jwt_alg} are known once the token decodes,
     * {@code $jwt_sub} only once it is validated.
     */
    @Test
    void variablesNameTheVerdict() throws Exception {
        String expired = Fixtures.hs(JWSAlgorithm.HS256, SECRET, "k-old",
                "{\"sub\":\"old\",\"exp\":" + (Fixtures.NOW - 60) + "}");
        try (TestGateway gw = gateway("")) {
            assertThat(RawHttpClient.get(gw.port(), "/vars", bearer(Fixtures.hs(JWSAlgorithm.HS256, SECRET, "k-1",
                    claims("alice", "")))).header("X-Jwt")).isEqualTo("ok|k-1|HS256|alice");
            assertThat(RawHttpClient.get(gw.port(), "/vars", bearer(forged("bob"))).header("X-Jwt"))
                    .isEqualTo("bad_signature|k-bob|HS256|");
            assertThat(RawHttpClient.get(gw.port(), "/vars", bearer(expired)).header("X-Jwt"))
                    .isEqualTo("expired|k-old|HS256|");
            assertThat(RawHttpClient.get(gw.port(), "/vars").header("X-Jwt")).isEqualTo("no_token|||");
            assertThat(RawHttpClient.get(gw.port(), "/vars", bearer("a.b.c")).header("X-Jwt"))
                    .isEqualTo("malformed|||");
        }
    }

    @Test
    void levelSetInHttpReachesEveryLocationThatDoesNotSetItsOwn() throws Exception {
        try (TestGateway gw = gateway("jwt_log_level error;")) {
            RawHttpClient.get(gw.port(), "/default", bearer(forged("alice")));
            RawHttpClient.get(gw.port(), "/warn/inner", bearer(forged("bob")));
        }
        assertThat(rejections()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.WARN);
    }

    @Test
    void aFloodOfIdenticalRejectionsIsBounded() throws Exception {
        try (TestGateway gw = gateway("")) {
            for (int i = 0; i < 3 * LogLimiter.BURST; i++) {
                assertThat(RawHttpClient.get(gw.port(), "/default", bearer(forged("u" + i))).code()).isEqualTo(401);
            }
            // another reason has its own budget
            assertThat(RawHttpClient.get(gw.port(), "/default", bearer("x.y.z")).code()).isEqualTo(401);
        }
        assertThat(rejections()).filteredOn(e -> e.getFormattedMessage().contains("signature verification failed"))
                .hasSize(LogLimiter.BURST);
        assertThat(rejections()).filteredOn(e -> e.getFormattedMessage().startsWith("jwt: malformed token (malformed)"))
                .hasSize(1);
    }
}
