package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code error_log}'s level keeps nginx's eight levels apart in a running gateway: under {@code notice}, nginx's
 * {@code info} lines (client errors, rejections at the default {@code jwt_log_level info}) are not written, while
 * {@code jwt_log_level notice} lines and start-up notices are, with nginx's level words
 * (docs/configuration.md#error_log).
 */
class ErrorLogLevelTest extends GatewayProcessFixture {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes";

    @Test
    void noticeLeavesOutInfoLines() throws Exception {
        String log = rejectAll("notice");
        assertThat(log).contains("[notice]").contains("jwt: signature verification failed")
                .contains("kid \"loud\"");
        assertThat(log).doesNotContain("kid \"quiet\"").doesNotContain("invalid header line")
                .doesNotContain("[info]");
        // a start-up notice is written at its level too
        assertThat(log).containsPattern("\\[notice\\] .*: \"return\" answers before the JWT check of this "
                + "location: requests here are not authenticated in .*nginx.conf:\\d+\n");
    }

    @Test
    void infoWritesBothWithTheirWords() throws Exception {
        String log = rejectAll("info");
        assertThat(log.lines().filter(l -> l.contains("kid \"quiet\"")))
                .singleElement().asString().contains("[info]");
        assertThat(log.lines().filter(l -> l.contains("kid \"loud\"")))
                .singleElement().asString().contains("[notice]");
        assertThat(log).contains("[info]").contains("client sent invalid header line");
    }

    /** Sends a forged token to each location and a header name nginx drops; returns the error log once written. */
    private String rejectAll(String level) throws Exception {
        int port = TestGateway.freePort();
        writeConf(config(port, """
                location /quiet { jwt_secret "%1$s"; proxy_pass http://127.0.0.1:1; }
                location /loud { jwt_secret "%1$s"; jwt_log_level notice; proxy_pass http://127.0.0.1:1; }
                location = /health { jwt_secret "%1$s"; return 200; }
                """.formatted(SECRET)).replace("error_log error.log info;", "error_log error.log " + level + ";"));
        try (ChildProcess gw = startGateway(port)) {
            for (String sub : new String[] {"quiet", "loud"}) {
                try (RawHttpClient c = RawHttpClient.connect(port)) {
                    c.send("GET /" + sub + " HTTP/1.1\r\nHost: a\r\nX_Odd: 1\r\nAuthorization: Bearer " + forged(sub)
                            + "\r\nConnection: close\r\n\r\n");
                    assertThat(c.readResponse().code()).isEqualTo(401);
                }
            }
            gw.await("the notice line", Duration.ofSeconds(10), () -> errorLog().contains("kid \"loud\""));
            assertThat(Signals.send("TERM", gw.pid())).isNull();
            gw.waitFor(Duration.ofSeconds(20));
        }
        return errorLog();
    }

    /** A token with a well-formed head (its kid named after {@code sub}) and payload and a signature no key made. */
    private static String forged(String sub) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + sub + "\"}")
                .getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + sub + "\",\"exp\":4102444800}").getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJlLW1hZGUtYnktbm8ta2V5";
    }
}
