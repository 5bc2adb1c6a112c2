package io.jwtgate.limitconn;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.limits.SlabPool;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * {@code limit_conn} against stock nginx, with deterministic sequences: requests are held open at a
 * {@link GateBackend} until the test releases them, so the test knows how many are in progress when it sends the
 * next ones. Each scenario runs on nginx, then on jwtgate, and writes what it saw (statuses, {@code X-LC} with
 * {@code $limit_conn_status}, bodies, error pages) into a transcript; the transcripts, and the module's error log
 * lines at every level, must be equal, and the transcript must show the limit at work.
 */
class LimitConnDifferentialTest {

    static List<HttpModule> modules() {
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.addAll(ProxyModules.create());
        modules.add(new LimitConnModule());
        return modules;
    }

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private GateBackend backend;

    @BeforeEach
    void start() throws IOException {
        backend = GateBackend.start();
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void stop() throws IOException {
        root.detachAppender(appender);
        backend.close();
    }

    /** A scenario: what it does on one side's port, written into the transcript. */
    @FunctionalInterface
    interface Scenario {
        void run(int port, List<String> transcript) throws Exception;
    }

    /**
     * Runs {@code scenario} on both sides of {@code http} (its {@code %d} is the listen port, {@code BACKEND} the
     * backend) and compares their transcripts and the error log lines starting with one of {@code logPrefixes}.
     *
     * @return the transcript, for the caller to check that the limit acted
     */
    private List<String> compare(String http, Scenario scenario, String... logPrefixes) throws Exception {
        String block = http.replace("BACKEND", "127.0.0.1:" + backend.port());
        List<String> nginx = new ArrayList<>();
        List<String> gateway = new ArrayList<>();
        List<String> nginxLog;
        try (SideBySide pair = SideBySide.start(port -> block.formatted(port), LimitConnDifferentialTest::modules)) {
            scenario.run(pair.nginxPort(), nginx);
            scenario.run(pair.gatewayPort(), gateway);
            nginxLog = nginxLines(pair, logPrefixes);
        }
        assertThat(gateway).as("jwtgate's transcript").containsExactlyElementsOf(nginx);
        assertThat(gatewayLines(logPrefixes)).as("jwtgate's error log").containsExactlyElementsOf(nginxLog);
        assertThat(nginxLog.isEmpty()).as("nginx logged lines starting with " + List.of(logPrefixes))
                .isEqualTo(logPrefixes.length == 0);
        assertThat(backend.unawaitedHeld()).as("held requests the scenario did not expect").isZero();
        return nginx;
    }

    private static final List<String> LEVELS = List.of("info", "notice", "warn", "error", "crit");

    private static List<String> nginxLines(SideBySide pair, String... prefixes) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String level : LEVELS) {
            for (String m : pair.nginxMessages(level)) {
                if (Stream.of(prefixes).anyMatch(m::startsWith)) {
                    lines.add(level + ": " + m);
                }
            }
        }
        return lines;
    }

    private List<String> gatewayLines(String... prefixes) {
        List<String> lines = new ArrayList<>();
        for (String level : LEVELS) {
            for (ILoggingEvent e : appender.list) {
                ErrorLogLevel l = ErrorLogLevel.of(e.getMarkerList() == null || e.getMarkerList().isEmpty() ? null
                        : e.getMarkerList().get(0), Level.valueOf(e.getLevel().toString()));
                String m = e.getFormattedMessage();
                if (l.word().equals(level) && Stream.of(prefixes).anyMatch(m::startsWith)) {
                    lines.add(level + ": " + m);
                }
            }
        }
        return lines;
    }

    // ---- held requests

    /** Holds {@code n} requests for {@code path} with the header lines given; read each to finish it. */
    private List<RawHttpClient> hold(int port, int n, String path, String... headerLines) throws Exception {
        List<RawHttpClient> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(Requests.send(port, path, headerLines));
        }
        backend.awaitHeld(n);
        return held;
    }

    private void releaseInto(List<RawHttpClient> held, List<String> transcript) {
        backend.release();
        held.forEach(c -> transcript.add(Requests.read(c)));
    }

    // ---- scenarios

    private static final String SERVER = """
            limit_conn_zone $http_x_key zone=k:1m;
            limit_conn_zone $http_x_other zone=other:1m;
            server {
                listen 127.0.0.1:%d;
                add_header X-LC "$limit_conn_status" always;
            """;

    @Test
    void requestsOverTheLimitOfTheirKeyAreRejectedUntilOneEnds() throws Exception {
        List<String> t = compare(SERVER + """
                    location /held { limit_conn k 2; proxy_pass http://BACKEND; }
                    location /free { proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = hold(port, 2, "/held/a", "X-Key: a");
                    transcript.add(SideBySide.masked(Requests.send(port, "/held/x", "X-Key: a").readResponse()));
                    transcript.add(Requests.get(port, "/free", "X-Key: a"));
                    held.addAll(hold(port, 2, "/held/b", "X-Key: b"));
                    held.addAll(hold(port, 3, "/held/e"));
                    transcript.add(Requests.get(port, "/held/y", "X-Key: b"));
                    releaseInto(held, transcript);
                    List<RawHttpClient> again = hold(port, 2, "/held/c", "X-Key: a");
                    releaseInto(again, transcript);
                }, "limiting connections");
        assertThat(t).filteredOn(s -> s.startsWith("HTTP/1.1 503")).hasSize(1);
        assertThat(t).contains("503 [REJECTED] ", "200 [PASSED] held-a", "200 [null] held-e", "200 [null] ok");
    }

    @Test
    void dryRunCountsAndLogsButLetsThrough() throws Exception {
        List<String> t = compare(SERVER + """
                    limit_conn_dry_run on;
                    limit_conn_log_level info;
                    location /held { limit_conn k 1; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = hold(port, 1, "/held/a", "X-Key: a");
                    held.addAll(hold(port, 2, "/held/b", "X-Key: a"));
                    releaseInto(held, transcript);
                }, "limiting connections");
        assertThat(t).containsExactly("200 [PASSED] held-a", "200 [REJECTED_DRY_RUN] held-b",
                "200 [REJECTED_DRY_RUN] held-b");
    }

    @Test
    void statusAndLogLevelAtEachLevel() throws Exception {
        List<String> t = compare(SERVER + """
                    limit_conn_status 429;
                    location /held { limit_conn k 1; proxy_pass http://BACKEND; }
                    location /info { limit_conn k 1; limit_conn_log_level info; proxy_pass http://BACKEND; }
                    location /notice { limit_conn k 1; limit_conn_log_level notice; proxy_pass http://BACKEND; }
                    location /warn { limit_conn k 1; limit_conn_log_level warn; limit_conn_status 599;
                            proxy_pass http://BACKEND; }
                    location /error { limit_conn k 1; limit_conn_log_level error; limit_conn_status 400;
                            proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = hold(port, 1, "/held/a", "X-Key: a");
                    for (String level : List.of("info", "notice", "warn", "error")) {
                        transcript.add(SideBySide.masked(Requests.send(port, "/" + level, "X-Key: a").readResponse()));
                    }
                    releaseInto(held, transcript);
                }, "limiting connections");
        assertThat(t).anyMatch(s -> s.startsWith("HTTP/1.1 429 Too Many Requests"))
                .anyMatch(s -> s.startsWith("HTTP/1.1 599"))
                .anyMatch(s -> s.startsWith("HTTP/1.1 400 Bad Request"));
    }

    @Test
    void aLevelWithItsOwnLimitsReplacesItsParents() throws Exception {
        List<String> t = compare(SERVER + """
                    limit_conn k 1;
                    location /held/inherit { proxy_pass http://BACKEND; }
                    location /held/own { limit_conn other 1; proxy_pass http://BACKEND; }
                    location /held/nested {
                        limit_conn k 3;
                        location /held/nested/in { proxy_pass http://BACKEND; }
                    }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = hold(port, 1, "/held/inherit/a", "X-Key: a");
                    transcript.add(Requests.get(port, "/held/inherit/b", "X-Key: a"));
                    // only "other" limits here: key a, at its limit in k, passes
                    held.addAll(hold(port, 1, "/held/own/c", "X-Key: a", "X-Other: o1"));
                    transcript.add(Requests.get(port, "/held/own/d", "X-Key: a", "X-Other: o1"));
                    held.addAll(hold(port, 1, "/held/nested/in/e", "X-Key: a"));
                    held.addAll(hold(port, 1, "/held/nested/in/f", "X-Key: a"));
                    transcript.add(Requests.get(port, "/held/nested/in/g", "X-Key: a"));
                    releaseInto(held, transcript);
                }, "limiting connections");
        assertThat(t).contains("503 [REJECTED] ");
    }

    @Test
    void severalLimitsAndARejectionGivesBackWhatTheRequestTook() throws Exception {
        List<String> t = compare("limit_conn_zone $binary_remote_addr zone=perip:1m;\n" + SERVER + """
                    location /held { limit_conn perip 2; limit_conn k 1; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = hold(port, 1, "/held/a", "X-Key: k1");
                    // perip 2 then k1 full: the perip slot it took goes back at once
                    transcript.add(Requests.get(port, "/held/b", "X-Key: k1"));
                    held.addAll(hold(port, 1, "/held/c", "X-Key: k2"));
                    transcript.add(Requests.get(port, "/held/d", "X-Key: k3"));
                    releaseInto(held, transcript);
                }, "limiting connections");
        assertThat(t).containsExactly("503 [REJECTED] ", "503 [REJECTED] ", "200 [PASSED] held-a",
                "200 [PASSED] held-c");
    }

    @Test
    void emptyAndOverlongKeysAreNotLimited() throws Exception {
        String longest = "X-Key: " + "k".repeat(LimitConnModule.MAX_KEY_BYTES);
        String over = "X-Key: " + "o".repeat(LimitConnModule.MAX_KEY_BYTES + 1);
        List<String> t = compare(SERVER + """
                    location /held { limit_conn k 1; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = hold(port, 2, "/held/e", "X-Key:");
                    held.addAll(hold(port, 2, "/held/o", over));
                    held.addAll(hold(port, 1, "/held/l", longest));
                    transcript.add(Requests.get(port, "/held/x", longest));
                    releaseInto(held, transcript);
                }, "limiting connections", "the value of");
        assertThat(t).containsExactly("503 [REJECTED] ", "200 [null] held-e", "200 [null] held-e",
                "200 [null] held-o", "200 [null] held-o", "200 [PASSED] held-l");
    }

    @Test
    void aRedirectedRequestIsCountedOnceAndGivesItsSlotBack() throws Exception {
        List<String> t = compare(SERVER + """
                    location /held { limit_conn k 1; proxy_pass http://BACKEND; }
                    location /rej { limit_conn k 1; error_page 503 = @busy; proxy_pass http://BACKEND; }
                    location @busy { limit_conn k 1; proxy_pass http://BACKEND; }
                    # no content handler: 404 in the content phase, after limit_conn counted the request
                    location = /via { limit_conn k 1; error_page 404 = /held/r; }
                    location = /held/r { limit_conn k 1; proxy_pass http://BACKEND/held/r; }
                    location = /held/named { limit_conn k 1; error_page 404 = @held; }
                    location @held { limit_conn k 1; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    for (String path : List.of("/via", "/held/named")) {
                        List<RawHttpClient> held = hold(port, 1, path, "X-Key: a");
                        transcript.add(Requests.get(port, "/rej/x", "X-Key: a"));
                        releaseInto(held, transcript);
                    }
                    List<RawHttpClient> again = hold(port, 1, "/held/z", "X-Key: a");
                    releaseInto(again, transcript);
                }, "limiting connections");
        assertThat(t).containsExactly("200 [REJECTED] ok", "200 [PASSED] held-r", "200 [REJECTED] ok",
                "200 [PASSED] held-d", "200 [PASSED] held-z");
    }

    @Test
    void aClientThatGoesAwayGivesItsSlotBack() throws Exception {
        List<String> t = compare(SERVER + """
                    location / { limit_conn k 1; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    // mid-response (the head and half the body were sent), then before the response began
                    for (String path : List.of("/held/a", "/silent/b")) {
                        RawHttpClient gone = hold(port, 1, path, "X-Key: a").get(0);
                        transcript.add(Requests.get(port, "/quick", "X-Key: a"));
                        gone.close();
                        transcript.add(Requests.untilServed(port, "/quick", "X-Key: a"));
                        backend.release();
                    }
                });
        assertThat(t).containsExactly("503 [REJECTED] ", "200 [PASSED] ok", "503 [REJECTED] ", "200 [PASSED] ok");
    }

    @Test
    void eachRequestOfAKeptAliveConnectionHoldsASlotOnlyWhileItRuns() throws Exception {
        List<String> t = compare(SERVER + """
                    location / { limit_conn k 1; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    try (RawHttpClient c = RawHttpClient.connect(port)) {
                        for (int i = 0; i < 3; i++) {
                            RawResponse r = c.send("GET /quick HTTP/1.1\r\nHost: localhost\r\nX-Key: a\r\n\r\n")
                                    .readResponse();
                            transcript.add(r.code() + " [" + r.headers().first("X-LC") + "] " + r.headers()
                                    .first("Connection"));
                        }
                    }
                });
        assertThat(t).containsExactly("200 [PASSED] keep-alive", "200 [PASSED] keep-alive", "200 [PASSED] keep-alive");
    }

    @Test
    void aFullZoneRefusesNewKeysOfItsEntrySizeAsNginxsSlabAllocator() throws Exception {
        // keys of 250 bytes: entries of 286 bytes, in slots of 512, eight to a page of the zone's 7
        int keyBytes = 250;
        long fits = SlabPool.capacity(32 * 1024, 36 + keyBytes, 64, 24);
        assertThat(fits).isEqualTo(40);
        List<String> t = compare("""
                limit_conn_zone $http_x_key zone=k:32k;
                server {
                    listen 127.0.0.1:%d;
                    add_header X-LC "$limit_conn_status" always;
                    location /held { limit_conn k 1; proxy_pass http://BACKEND; }
                    location /dry { limit_conn k 1; limit_conn_dry_run on; proxy_pass http://BACKEND; }
                }
                """, (port, transcript) -> {
                    List<RawHttpClient> held = new ArrayList<>();
                    for (int i = 0; i < fits; i++) {
                        held.addAll(hold(port, 1, "/held/" + i, longKey(i, keyBytes)));
                    }
                    transcript.add(Requests.get(port, "/held/x", longKey(-1, keyBytes)));
                    // in dry run the new key finds no room alike, and the request goes on without a slot
                    transcript.add(Requests.get(port, "/dry/x", longKey(-1, keyBytes)));
                    // a short key takes a slot of 64 bytes, in the page the zone's own tree started
                    held.addAll(hold(port, 1, "/held/s", "X-Key: s"));
                    releaseInto(held, transcript);
                    List<RawHttpClient> again = hold(port, 1, "/held/n", longKey(-1, keyBytes));
                    releaseInto(again, transcript);
                }, "ngx_slab_alloc()");
        assertThat(t).startsWith("503 [REJECTED] ", "200 [REJECTED_DRY_RUN] ok")
                .endsWith("200 [PASSED] held-s", "200 [PASSED] held-n").hasSize((int) fits + 4);
    }

    private static String longKey(int i, int bytes) {
        String prefix = "key" + i + "-";
        return "X-Key: " + prefix + "k".repeat(bytes - prefix.length());
    }
}
