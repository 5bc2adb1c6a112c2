package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.config.ConfigLoader;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.StockNginx;
import io.jwtgate.testing.TestGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code access_log ... buffer= flush= gzip} against stock nginx, the same configuration and requests: a line stays
 * in the buffer until the next one does not fit, the flush time is up, the files are reopened or the server stops;
 * with {@code gzip} each write is a gzip member, the file readable by {@code zcat}. Each file is compared with nginx's
 * after every step, once jwtgate's writing thread has had time to write what it should not have.
 */
class BufferedAccessLogDifferentialTest {

    static final String CONFIG = """
            log_format s '$request_uri $status';
            server {
                listen 127.0.0.1:%2$d;
                location /b/ { access_log %1$s/b-%2$d.log s buffer=200; return 200; }
                location /same/ { access_log %1$s/b-%2$d.log; return 200; }
                location /f/ { access_log %1$s/f-%2$d.log s buffer=64k flush=1s; return 200; }
                location /z/ { access_log %1$s/z-%2$d.log s gzip=9 flush=1s; return 200; }
                location /r/ { access_log %1$s/r-%2$d.log s buffer=4k; return 200; }
            }
            """;

    /** How long jwtgate's thread gets to write a line it has: far more than it takes. */
    static final long SETTLE_MS = 300;

    Path dir;
    StockNginx nginx;
    TestGateway gateway;
    int nginxPort;
    int gatewayPort;

    @BeforeEach
    void start() throws Exception {
        assertThat(StockNginx.available()).as("stock nginx at /usr/sbin/nginx").isTrue();
        dir = Files.createTempDirectory("log-buffer");
        nginxPort = TestGateway.freePort();
        gatewayPort = TestGateway.freePort();
        nginx = StockNginx.start(CONFIG.formatted(dir, nginxPort), nginxPort);
        gateway = TestGateway.start("http {\n" + CONFIG.formatted(dir, gatewayPort) + "}\n", CoreModules::create);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    /**
     * 20-byte lines in a 200-byte buffer: written nine at a time, as nginx reserves room for the widest status; a
     * line longer than the buffer goes alone.
     */
    @Test
    void writtenWhenTheNextLineDoesNotFit() throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String uri = String.format("/b/%012d", i);
            counts.add(bothGet(uri, "b").size());
        }
        // nginx reserves 20 bytes for $status: a 20-byte line needs 38 free
        assertThat(counts).startsWith(0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 9).endsWith(18, 18);
        List<String> lines = bothGet("/b/" + "x".repeat(300), "b");
        assertThat(lines).hasSize(24).last().asString().startsWith("/b/xxx").endsWith(" 200");
        // an access_log to the same file without buffer= uses its buffer: nothing written yet
        assertThat(bothGet("/same/a", "b")).hasSize(24);
    }

    @Test
    void writtenWhenTheFlushTimeIsUp() throws Exception {
        assertThat(bothGet("/f/1", "f")).isEmpty();
        assertThat(bothGet("/f/2", "f")).isEmpty();
        Thread.sleep(1200);
        assertThat(same("f")).containsExactly("/f/1 200", "/f/2 200");
    }

    @Test
    void gzipMembersThatZcatReads() throws Exception {
        assertThat(bothGet("/z/1", "z")).isEmpty();
        Thread.sleep(1200);
        bothGet("/z/2", "z");
        Thread.sleep(1200);
        byte[] nginxBytes = Files.readAllBytes(file(nginxPort, "z"));
        byte[] gatewayBytes = Files.readAllBytes(file(gatewayPort, "z"));
        // zlib's header as nginx writes it: no name, no time, level 9's extra flags, Unix
        assertThat(Arrays.copyOf(gatewayBytes, 10)).isEqualTo(Arrays.copyOf(nginxBytes, 10))
                .isEqualTo(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
        assertThat(zcat(file(gatewayPort, "z"))).isEqualTo(zcat(file(nginxPort, "z")))
                .isEqualTo("/z/1 200\n/z/2 200\n");
        assertThat(members(gatewayBytes)).isEqualTo(members(nginxBytes)).isEqualTo(2);
    }

    @Test
    void writtenBeforeAReopenAndAtTheExit() throws Exception {
        assertThat(bothGet("/r/1", "r")).isEmpty();
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(nginxPid())).start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
        gateway.server().reopen();
        assertThat(settled("r")).containsExactly("/r/1 200");
        assertThat(bothGet("/r/2", "r")).containsExactly("/r/1 200");
        nginx.close();
        gateway.close();
        assertThat(lines(file(nginxPort, "r"))).containsExactly("/r/1 200", "/r/2 200");
        assertThat(lines(file(gatewayPort, "r"))).containsExactly("/r/1 200", "/r/2 200");
        nginx = null;
        gateway = null;
    }

    /**
     * A reload replaces the configuration and with it the buffer, which is written first (nginx's old workers write
     * theirs as they exit; its single-process mode, which this harness runs, has no old workers, so jwtgate only).
     */
    @Test
    void writtenAtAReload() throws Exception {
        assertThat(RawHttpClient.get(gatewayPort, "/r/1").code()).isEqualTo(200);
        Thread.sleep(SETTLE_MS);
        assertThat(lines(file(gatewayPort, "r"))).isEmpty();
        gateway.server().reload(new ConfigLoader(CoreModules.create()).load(gateway.dir().resolve("nginx.conf"))
                .http());
        // the replaced configuration's writer is flushed and stopped once its last request has ended, which the
        // server sees within a tick (docs/operations.md#reload), as nginx's old worker flushes when it exits
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines(file(gatewayPort, "r")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lines(file(gatewayPort, "r"))).containsExactly("/r/1 200");
        assertThat(RawHttpClient.get(gatewayPort, "/r/2").code()).isEqualTo(200);
        Thread.sleep(SETTLE_MS);
        assertThat(lines(file(gatewayPort, "r"))).containsExactly("/r/1 200");
    }

    /**
     * Sends {@code uri} to both, then returns nginx's lines of that file once jwtgate's are the same. jwtgate first:
     * its first answers may be slow (a cold JVM), and nginx's flush timer runs meanwhile.
     */
    private List<String> bothGet(String uri, String name) throws Exception {
        assertThat(RawHttpClient.get(gatewayPort, uri).code()).isEqualTo(200);
        assertThat(RawHttpClient.get(nginxPort, uri).code()).isEqualTo(200);
        return settled(name);
    }

    private List<String> settled(String name) throws Exception {
        Thread.sleep(SETTLE_MS);
        return same(name);
    }

    private List<String> same(String name) throws IOException {
        List<String> expected = lines(file(nginxPort, name));
        assertThat(lines(file(gatewayPort, name))).isEqualTo(expected);
        return expected;
    }

    private Path file(int port, String name) {
        return dir.resolve(name + "-" + port + ".log");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    }

    private long nginxPid() throws IOException {
        return Long.parseLong(Files.readString(nginx.dir().resolve("nginx.pid")).trim());
    }

    /** The file read by the system's {@code zcat}, which must be there. */
    private static String zcat(Path file) throws Exception {
        Process p = new ProcessBuilder("zcat", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** How many gzip members {@code bytes} holds: each a 10-byte header, a deflate stream and an 8-byte trailer. */
    private static int members(byte[] bytes) throws DataFormatException {
        int count = 0;
        int offset = 0;
        byte[] out = new byte[4096];
        while (offset < bytes.length) {
            assertThat(bytes[offset]).isEqualTo((byte) 0x1f);
            assertThat(bytes[offset + 3]).as("no optional header fields").isZero();
            Inflater inflater = new Inflater(true);
            inflater.setInput(bytes, offset + 10, bytes.length - offset - 10);
            while (!inflater.finished()) {
                assertThat(inflater.inflate(out) > 0 || inflater.finished()).isTrue();
            }
            offset = bytes.length - inflater.getRemaining() + 8;
            inflater.end();
            count++;
        }
        assertThat(offset).isEqualTo(bytes.length);
        return count;
    }
}
