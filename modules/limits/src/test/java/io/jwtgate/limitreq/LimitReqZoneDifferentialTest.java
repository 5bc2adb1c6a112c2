package io.jwtgate.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.limits.SlabPool;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A zone that fills up, against stock nginx: how many keys a small zone remembers (the oldest are dropped to make
 * room for new ones), and what a key too long for the zone gets ("could not allocate node").
 */
class LimitReqZoneDifferentialTest {

    private static final int KEYS = 200;

    private static String config(int port) {
        return """
                limit_req_zone $http_k zone=small:32k rate=1r/m;
                limit_req_zone $http_k$http_k$http_k zone=big:32k rate=1r/m;
                limit_req_zone $http_k$http_k$http_k$http_k$http_k$http_k$http_k$http_k$http_k$http_k
                    zone=huge:1m rate=1r/m;
                server {
                    listen 127.0.0.1:%d;
                    add_header X-LR $limit_req_status always;
                    location /small { limit_req zone=small; }
                    location /big { limit_req zone=big; }
                    location /big-dry { limit_req zone=big; limit_req_dry_run on; }
                    location /huge { limit_req zone=huge; }
                }
                """.formatted(port);
    }

    /**
     * Each of 200 keys once, then the keys again from the newest back: the zone still knows (503) as many as it
     * holds, and the first it forgot passes. nginx's 32k zone holds 191 entries of 5-byte keys on 64 bits.
     */
    @Test
    void aFullZoneForgetsItsOldestKeysAsNginx() throws Exception {
        try (SideBySide pair = SideBySide.start(LimitReqZoneDifferentialTest::config,
                LimitReqDifferentialTest.MODULES)) {
            long expected = SlabPool.capacity(32 * 1024, SlabPool.RBTREE_NODE_HEADER + RequestZone.ENTRY_HEADER + 5,
                    80, " in limit_req zone \"small\"".length() + 1);
            assertThat(expected).isEqualTo(191);
            assertThat(remembered(pair.nginxPort())).as("nginx").isEqualTo(expected);
            assertThat(remembered(pair.gatewayPort())).as("jwtgate").isEqualTo(expected);
        }
    }

    private static int remembered(int port) {
        for (int i = 1; i <= KEYS; i++) {
            assertThat(RawHttpClient.get(port, "/small", "K: " + key(i)).code()).isEqualTo(404);
        }
        int n = 0;
        for (int i = KEYS; i > 0 && RawHttpClient.get(port, "/small", "K: " + key(i)).code() == 503; i--) {
            n++;
        }
        return n;
    }

    private static String key(int i) {
        return "k%04d".formatted(i);
    }

    /**
     * A key over 65535 bytes (ten times a 7000-byte header) cannot be stored: the request is not limited and the key
     * is logged at error, as nginx does (nginx cuts the line at 2048 bytes, jwtgate quotes 1024 characters of it).
     */
    @Test
    void aKeyOverSixtyFourKilobytesIsNotLimited() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (SideBySide pair = SideBySide.start(LimitReqZoneDifferentialTest::config,
                LimitReqDifferentialTest.MODULES)) {
            String header = "K: " + "y".repeat(7000);
            for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                for (int i = 0; i < 2; i++) {
                    RawResponse r = RawHttpClient.get(port, "/huge", header);
                    assertThat(r.code() + " " + r.header("X-LR")).isEqualTo("404 null");
                }
            }
            String start = "the value of the \"" + "$http_k".repeat(10) + "\" key is more than 65535 bytes: \""
                    + "y".repeat(500);
            assertThat(pair.nginxErrorMessages()).filteredOn(m -> m.startsWith("the value of")).hasSize(2)
                    .allMatch(m -> m.startsWith(start));
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().startsWith("the value of"))
                    .hasSize(2).allMatch(e -> LimitReqDifferentialTest.nginxLevel(e).equals("error"))
                    .allMatch(e -> e.getFormattedMessage().startsWith(start)
                            && e.getFormattedMessage().length() < 2048);
        } finally {
            root.detachAppender(appender);
        }
    }

    /**
     * A key of 21000 bytes needs six pages where a 32k zone has five left: nginx answers with limit_req_status, sets
     * REJECTED and logs "could not allocate node" at alert, without the request's context; smaller keys go on. In
     * dry run the same, except that the request goes on with REJECTED_DRY_RUN.
     */
    @Test
    void aKeyLongerThanTheZoneCanHoldIsRejected() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (SideBySide pair = SideBySide.start(LimitReqZoneDifferentialTest::config,
                LimitReqDifferentialTest.MODULES)) {
            String longKey = "K: " + "x".repeat(7000);
            for (int port : new int[] {pair.nginxPort(), pair.gatewayPort()}) {
                RawResponse r = RawHttpClient.get(port, "/big", longKey);
                assertThat(r.code() + " " + r.header("X-LR")).isEqualTo("503 REJECTED");
                r = RawHttpClient.get(port, "/big-dry", longKey);
                assertThat(r.code() + " " + r.header("X-LR")).isEqualTo("404 REJECTED_DRY_RUN");
                r = RawHttpClient.get(port, "/big", "K: " + "x".repeat(1000));
                assertThat(r.code() + " " + r.header("X-LR")).isEqualTo("404 PASSED");
            }
            List<String> alerts = pair.nginxMessages("alert");
            assertThat(alerts).containsExactly("could not allocate node in limit_req zone \"big\"", alerts.get(0));
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().startsWith("could not allocate"))
                    .extracting(e -> LimitReqDifferentialTest.nginxLevel(e) + " " + e.getFormattedMessage())
                    .containsExactly("alert " + alerts.get(0), "alert " + alerts.get(0));
        } finally {
            root.detachAppender(appender);
        }
    }
}
