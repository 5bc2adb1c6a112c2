package io.jwtgate.limitreq;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;

/**
 * {@code limit_req} against stock nginx: the same configuration, the same requests one after another, the same
 * statuses, {@code $limit_req_status} (in a header, {@code add_header ... always}) and log lines. Zones count one
 * request a minute ({@code rate=1r/m}), so that nothing drains between the requests of a test: every outcome is
 * certain. The key is a request header, so both servers see the same keys. No location has a content handler: a
 * request that passes is answered 404 in the content phase, after the limit.
 */
class LimitReqDifferentialTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.add(new LimitReqModule());
        return modules;
    };

    private ListAppender<ILoggingEvent> appender;

    @BeforeEach
    void catchLog() {
        appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    }

    private static final String ZONES = """
            limit_req_zone $http_k zone=one:1m rate=1r/m;
            limit_req_zone $http_k zone=two:1m rate=1r/m;
            limit_req_zone $http_j zone=three:1m rate=1r/m;
            limit_req_zone $http_k zone=srv:1m rate=1r/m;
            limit_req_zone $http_k zone=own:1m rate=1r/m;
            """;

    private static IntFunction<String> server(String zones, String locations) {
        return port -> zones + """
                server {
                    listen 127.0.0.1:%d;
                    add_header X-LR $limit_req_status always;
                """.formatted(port) + locations + "\n}\n";
    }

    /** The answers of both servers to the same requests ({@code "/path key [j]"}), as {@code "status X-LR"}. */
    private static void sameAnswers(SideBySide pair, List<String> requests, List<String> expected) {
        assertThat(answers(pair.nginxPort(), requests)).as("nginx").isEqualTo(expected);
        assertThat(answers(pair.gatewayPort(), requests)).as("jwtgate").isEqualTo(expected);
    }

    private static List<String> answers(int port, List<String> requests) {
        List<String> out = new ArrayList<>();
        for (String request : requests) {
            String[] p = request.split(" ");
            List<String> headers = new ArrayList<>();
            if (p.length > 1 && !p[1].equals("-")) {
                headers.add("K: " + p[1]);
            }
            if (p.length > 2) {
                headers.add("J: " + p[2]);
            }
            RawResponse r = RawHttpClient.get(port, p[0], headers.toArray(String[]::new));
            out.add(r.code() + " " + r.header("X-LR"));
        }
        return out;
    }

    @Test
    void oneRequestThenRejectedPerKeyAndEmptyKeyNotLimited() throws Exception {
        try (SideBySide pair = SideBySide.start(server(ZONES, """
                location /plain { limit_req zone=one; }
                location /status { limit_req zone=two; limit_req_status 429; }
                """), MODULES)) {
            sameAnswers(pair, List.of("/plain a", "/plain a", "/plain b", "/plain a", "/plain -", "/plain -",
                    "/status s", "/status s"),
                    List.of("404 PASSED", "503 REJECTED", "404 PASSED", "503 REJECTED", "404 null", "404 null",
                            "404 PASSED", "429 REJECTED"));
        }
    }

    @Test
    void burstNodelayAndDryRun() throws Exception {
        try (SideBySide pair = SideBySide.start(server(ZONES, """
                location /burst { limit_req zone=one burst=2 nodelay; }
                location /dry { limit_req zone=two burst=3 delay=1; limit_req_dry_run on; }
                """), MODULES)) {
            sameAnswers(pair, List.of("/burst b", "/burst b", "/burst b", "/burst b", "/burst b",
                    "/dry d", "/dry d", "/dry d", "/dry d", "/dry d", "/dry d"),
                    List.of("404 PASSED", "404 PASSED", "404 PASSED", "503 REJECTED", "503 REJECTED",
                            // the second stays within delay=1, the third and fourth would wait, the rest is over
                            "404 PASSED", "404 PASSED", "404 DELAYED_DRY_RUN", "404 DELAYED_DRY_RUN",
                            "404 REJECTED_DRY_RUN", "404 REJECTED_DRY_RUN"));
        }
    }

    /**
     * Two limits: a request is accounted in the first zone only once the last accepted it, so that a key rejected by
     * the second zone ({@code j=x} again) has not spent anything in the first ({@code k=b} passes next).
     */
    @Test
    void severalLimitsAccountTogether() throws Exception {
        try (SideBySide pair = SideBySide.start(server(ZONES, """
                location /multi { limit_req zone=one burst=1 nodelay; limit_req zone=three; }
                """), MODULES)) {
            sameAnswers(pair, List.of("/multi a x", "/multi a y", "/multi a z", "/multi b x", "/multi b w",
                    "/multi b", "/multi - v", "/multi - v"),
                    // without j only the first limit has a key: its burst, not the second zone's, decides
                    List.of("404 PASSED", "404 PASSED", "503 REJECTED", "503 REJECTED", "404 PASSED",
                            "404 PASSED", "404 PASSED", "503 REJECTED"));
        }
    }

    /** A level with its own {@code limit_req} replaces its parent's; one without inherits them. */
    @Test
    void inheritanceAsNginx() throws Exception {
        try (SideBySide pair = SideBySide.start(server(ZONES, """
                limit_req zone=srv;
                limit_req_status 429;
                location /inherit { }
                location /own { limit_req zone=own; }
                """), MODULES)) {
            sameAnswers(pair, List.of("/inherit q", "/inherit q", "/own q", "/own q", "/other q"),
                    List.of("404 PASSED", "429 REJECTED", "404 PASSED", "429 REJECTED", "429 REJECTED"));
        }
    }

    /**
     * A request is limited once: after an internal redirect ({@code error_page}) to a location with a limit on the same
     * zone it passes without a second lookup, as nginx keeps the status in the client request.
     */
    @Test
    void internalRedirectIsNotLimitedAgain() throws Exception {
        try (SideBySide pair = SideBySide.start(server(ZONES, """
                location /redirect { limit_req zone=one burst=5; error_page 404 = /target; }
                location /target { limit_req zone=one; }
                """), MODULES)) {
            sameAnswers(pair, List.of("/redirect r", "/target r"), List.of("404 PASSED", "503 REJECTED"));
        }
    }

    /**
     * The key is evaluated when the handler runs, in the preaccess phase: a variable the rewrite phase set (as a JWT
     * check earlier in the preaccess phase sets {@code $jwt_claim_sub}) is the key; an empty one does not limit.
     */
    @Test
    void keyIsEvaluatedWhenTheHandlerRuns() throws Exception {
        try (SideBySide pair = SideBySide.start(server("""
                limit_req_zone $who zone=who:1m rate=1r/m;
                """, """
                location /set { set $who "user-$http_k"; limit_req zone=who; }
                location /unset { set $who ""; limit_req zone=who; }
                """), MODULES)) {
            sameAnswers(pair, List.of("/set a", "/set a", "/set b", "/unset a", "/unset a"),
                    List.of("404 PASSED", "503 REJECTED", "404 PASSED", "404 null", "404 null"));
        }
    }

    /** The lines about rejected and delayed requests, their levels and wording, at each {@code limit_req_log_level}. */
    @Test
    void logLinesAtEachLevel() throws Exception {
        try (SideBySide pair = SideBySide.start(server(ZONES, """
                location /error { limit_req zone=one burst=2 delay=1; limit_req_dry_run on; }
                location /warn { limit_req zone=one burst=2 delay=1; limit_req_dry_run on; limit_req_log_level warn; }
                location /notice { limit_req zone=two burst=2 delay=1; limit_req_log_level notice;
                    limit_req_dry_run on; }
                location /info { limit_req zone=two burst=2 delay=1; limit_req_log_level info; limit_req_dry_run on; }
                location /real { limit_req zone=three; limit_req_log_level info; }
                """), MODULES)) {
            List<String> requests = new ArrayList<>();
            for (String path : List.of("/error", "/warn", "/notice", "/info")) {
                // passed, within delay=1, delayed (dry run), over burst=2 (dry run)
                for (int i = 0; i < 4; i++) {
                    requests.add(path + " " + path.substring(1));
                }
            }
            requests.addAll(List.of("/real - j", "/real - j"));
            answers(pair.nginxPort(), requests);
            answers(pair.gatewayPort(), requests);
            List<String> expected = new ArrayList<>();
            for (String level : List.of("error", "warn", "notice", "info")) {
                for (String m : pair.nginxMessages(level)) {
                    if (m.startsWith("limiting requests") || m.startsWith("delaying request")) {
                        expected.add(level + " " + m.replaceAll("excess: [0-9.]+", "excess: *"));
                    }
                }
            }
            assertThat(expected).hasSize(2 * 4 + 1);
            List<String> actual = new ArrayList<>();
            for (String level : List.of("error", "warn", "notice", "info")) {
                for (ILoggingEvent e : appender.list) {
                    String m = e.getFormattedMessage();
                    if ((m.startsWith("limiting requests") || m.startsWith("delaying request"))
                            && nginxLevel(e).equals(level)) {
                        actual.add(level + " " + m.replaceAll("excess: [0-9.]+", "excess: *"));
                    }
                }
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    /**
     * Requests that really wait (no dry run): the delay line is one level below {@code limit_req_log_level}, which a
     * location inherits from {@code http} or sets itself. {@code rate=2r/s}, {@code burst=1}: the second request of a
     * key, sent at once, waits about half a second.
     */
    @Test
    void delayLinesOneLevelBelowTheInheritedOrOwnLevel() throws Exception {
        try (SideBySide pair = SideBySide.start(server("""
                limit_req_zone $http_k zone=fast:1m rate=2r/s;
                limit_req_log_level notice;
                """, """
                location /inherited { limit_req zone=fast burst=1; }
                location /error { limit_req zone=fast burst=1; limit_req_log_level error; }
                location /warn { limit_req zone=fast burst=1; limit_req_log_level warn; }
                location /info { limit_req zone=fast burst=1; limit_req_log_level info; }
                """), MODULES)) {
            List<String> requests = new ArrayList<>();
            for (String path : List.of("/inherited", "/error", "/warn", "/info")) {
                requests.addAll(List.of(path + " " + path.substring(1), path + " " + path.substring(1)));
            }
            List<String> expected = List.of("404 PASSED", "404 DELAYED", "404 PASSED", "404 DELAYED", "404 PASSED",
                    "404 DELAYED", "404 PASSED", "404 DELAYED");
            assertThat(answers(pair.nginxPort(), requests)).as("nginx").isEqualTo(expected);
            assertThat(answers(pair.gatewayPort(), requests)).as("jwtgate").isEqualTo(expected);
            List<String> nginx = new ArrayList<>();
            List<String> gateway = new ArrayList<>();
            for (String level : List.of("error", "warn", "notice", "info")) {
                for (String m : pair.nginxMessages(level)) {
                    if (m.startsWith("delaying request")) {
                        nginx.add(level + " " + m.replaceAll("excess: [0-9.]+", "excess: *"));
                    }
                }
                for (ILoggingEvent e : appender.list) {
                    String m = e.getFormattedMessage();
                    if (m.startsWith("delaying request") && nginxLevel(e).equals(level)) {
                        gateway.add(level + " " + m.replaceAll("excess: [0-9.]+", "excess: *"));
                    }
                }
            }
            assertThat(nginx).as("nginx's delay lines").hasSize(4)
                    .allMatch(l -> l.matches("(warn|notice|info) delaying request, excess: \\*, by zone \"fast\".*"));
            assertThat(gateway).isEqualTo(nginx);
        }
    }

    static String nginxLevel(ILoggingEvent e) {
        Marker marker = e.getMarkerList() == null || e.getMarkerList().isEmpty() ? null
                : e.getMarkerList().get(0);
        return ErrorLogLevel.of(marker, Level.valueOf(e.getLevel().toString())).word();
    }
}
