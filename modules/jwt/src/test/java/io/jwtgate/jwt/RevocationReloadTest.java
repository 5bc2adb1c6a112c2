package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static io.jwtgate.jwt.Fixtures.bearer;
import static io.jwtgate.jwt.Fixtures.claims;
import static io.jwtgate.jwt.Fixtures.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Revocation files are reloaded when they change on disk, within 10 seconds; a broken file keeps the old list. */
class RevocationReloadTest {

    static final Duration LIMIT = Duration.ofSeconds(10);

    /** Polls with short sleeps until {@code condition} holds or the limit passes (the one place tests wait). */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    static void write(Path file, String text, long bumpSeconds) throws Exception {
        Files.writeString(file, text);
        // make the change visible even on file systems with coarse timestamps
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + bumpSeconds * 1000));
    }

    @Test
    void changedListIsInForceWithinTenSecondsAndBrokenFileKeepsTheOldOne() throws Exception {
        Path dir = Files.createTempDirectory("jwt-revoke");
        Path subs = dir.resolve("subs.json");
        Files.writeString(subs, "[\"mallory\"]");
        String server = """
                location / {
                    jwt_secret "%s";
                    jwt_revocation_list_sub subs.json;
                    echo "ok";
                }
                """.formatted(SECRET);
        Fixtures.TestClock clock = new Fixtures.TestClock();
        try (TestGateway gw = TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), "", server),
                Fixtures.modules(clock))) {
            String alice = hs256(SECRET, claims("alice", ""));
            String mallory = hs256(SECRET, claims("mallory", ""));
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(alice)).code()).isEqualTo(200);
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(mallory)).code()).isEqualTo(401);

            write(subs, "{\"alice\": 1}", 5);
            assertThat(eventually(() -> RawHttpClient.get(gw.port(), "/", bearer(alice)).code() == 401)).isTrue();
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(mallory)).code()).isEqualTo(200);

            // broken file: the old list stays in force; then a good file is picked up again
            write(subs, "{not json", 10);
            Thread.sleep(2 * RevocationWatcher.INTERVAL_MILLIS + 500);
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(alice)).code()).isEqualTo(401);
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(mallory)).code()).isEqualTo(200);
            write(subs, "[]", 15);
            assertThat(eventually(() -> RawHttpClient.get(gw.port(), "/", bearer(alice)).code() == 200)).isTrue();
        }
    }

    /**
     * {@code cp -p}: the list is replaced by one of the same size and the old modification time is put back. The new
     * content must be in force all the same, and the reload is logged in words an operator understands.
     */
    /** A gateway whose one location revokes the subjects listed in {@code dir/subs.json}. */
    private static TestGateway watching(Path dir) throws Exception {
        String server = """
                location / {
                    jwt_secret "%s";
                    jwt_revocation_list_sub subs.json;
                    echo "ok";
                }
                """.formatted(SECRET);
        return TestGateway.start(dir, Fixtures.conf(TestGateway.freePort(), "", server),
                Fixtures.modules(new Fixtures.TestClock()));
    }

    @Test
    void sameSizeReplacementWithPreservedTimestampIsDetected() throws Exception {
        Path dir = Files.createTempDirectory("jwt-revoke");
        Path subs = dir.resolve("subs.json");
        Files.writeString(subs, "[\"bobby\"]");
        FileTime stamp = Files.getLastModifiedTime(subs);
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.jwt");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (TestGateway gw = watching(dir)) {
            String alice = hs256(SECRET, claims("alice", ""));
            String bobby = hs256(SECRET, claims("bobby", ""));
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(alice)).code()).isEqualTo(200);
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(bobby)).code()).isEqualTo(401);

            Files.writeString(subs, "[\"alice\"]");
            Files.setLastModifiedTime(subs, stamp);
            assertThat(Files.size(subs)).isEqualTo("[\"bobby\"]".length());

            assertThat(eventually(() -> RawHttpClient.get(gw.port(), "/", bearer(alice)).code() == 401)).isTrue();
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(bobby)).code()).isEqualTo(200);
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("reloaded"))
                .containsExactly("revocation list \"" + subs.toAbsolutePath().normalize() + "\" reloaded: 1 entry");
    }

    @Test
    void aFileThatDisappearsKeepsTheListAndIsLoadedWhenItComesBack() throws Exception {
        Path dir = Files.createTempDirectory("jwt-revoke");
        Path subs = dir.resolve("subs.json");
        Files.writeString(subs, "[\"alice\"]");
        Logger logger = (Logger) LoggerFactory.getLogger("jwtgate.jwt");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (TestGateway gw = watching(dir)) {
            String alice = hs256(SECRET, claims("alice", ""));
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(alice)).code()).isEqualTo(401);
            Files.delete(subs);
            Thread.sleep(3 * RevocationWatcher.INTERVAL_MILLIS + 500);
            assertThat(RawHttpClient.get(gw.port(), "/", bearer(alice)).code()).isEqualTo(401);
            Files.writeString(subs, "[]");
            assertThat(eventually(() -> RawHttpClient.get(gw.port(), "/", bearer(alice)).code() == 200)).isTrue();
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.startsWith("revocation list"))
                .containsExactly("revocation list \"" + subs.toAbsolutePath().normalize()
                        + "\" is gone; the previous list stays in force",
                        "revocation list \"" + subs.toAbsolutePath().normalize() + "\" reloaded: 0 entries");
    }
}
