package io.jwtgate.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.gzip.GunzipModule;
import io.jwtgate.gzip.GzipModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A directory of real files for the static differential tests, and the comparison of one request's answer from
 * stock nginx and from jwtgate: the whole response, byte for byte, with only the server's name, the date, the
 * listening port in {@code Location} and a multipart boundary masked.
 */
final class StaticSite implements AutoCloseable {

    /** The core's modules, gunzip, gzip and static, in the order the command line registers them. */
    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> m = new ArrayList<>(CoreModules.create());
        GzipModule gzip = new GzipModule();
        m.add(new GunzipModule(gzip));
        m.add(gzip);
        m.add(new StaticModule(gzip));
        return m;
    };

    /** A fixed modification time, so that both servers see the same {@code Last-Modified} and {@code ETag}. */
    static final long MTIME = 1_700_000_000L;

    final Path root;
    final Path outside;

    private StaticSite(Path root, Path outside) {
        this.root = root;
        this.outside = outside;
    }

    static StaticSite create() throws IOException {
        Path base = Files.createTempDirectory("static-site");
        Path root = Files.createDirectories(base.resolve("www"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        write(root, "index.html", "<h1>home</h1>\n");
        write(root, "a.txt", "0123456789abcdefghijklmnopqrstuvwxyz\n");
        write(root, "style.CSS", "body { }\n");
        write(root, "data.json", "{\"a\":1}\n");
        write(root, "noext", "no extension\n");
        write(root, ".hidden", "hidden\n");
        write(root, "file.", "trailing dot\n");
        write(root, "empty.txt", "");
        write(root, "sp ace.txt", "space\n");
        write(root, "\u00e9t\u00e9.txt", "utf-8 name\n");
        write(root, "sub/index.html", "<h1>sub</h1>\n");
        write(root, "sub/page.html", "<p>page</p>\n");
        write(root, "sub/a.txt", "sub a\n");
        Files.createDirectories(root.resolve("empty"));
        write(root, "spa/index.html", "<div id=app></div>\n");
        write(root, "spa/app.js", "console.log(1);\n");
        write(root, "secret.txt", "secret\n");
        write(outside, "o.txt", "outside the root\n");
        Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("o.txt"));
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        Files.write(root.resolve("big.bin"), big);
        // the largest file read into memory and the smallest sent from the file (DiskFile.IN_MEMORY)
        Files.write(root.resolve("16k.bin"), Arrays.copyOf(big, 16 * 1024));
        Files.write(root.resolve("16k1.bin"), Arrays.copyOf(big, 16 * 1024 + 1));
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(MTIME * 1000));
                }
            }
        }
        // unreadable for the test's user (both servers run as it)
        root.resolve("secret.txt").toFile().setReadable(false, false);
        return new StaticSite(root, outside);
    }

    private static void write(Path root, String name, String text) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    /** The response to {@code request} (a whole raw request) from {@code port}, masked as described above. */
    static String answer(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            RawResponse r = c.send(request).readResponse(request.startsWith("HEAD "));
            String masked = SideBySide.masked(r).replace(":" + port + "/", ":PORT/");
            if (request.startsWith("HEAD ") && r.code() >= 300 && "text/html".equals(r.header("Content-Type"))) {
                // the length of an error page not sent, with nginx's signature in it
                masked = masked.replaceAll("(?m)^Content-Length: [0-9]+", "Content-Length: *");
            }
            return masked.replaceAll("boundary=[0-9]+", "boundary=B").replaceAll("\r\n--[0-9]{20}", "\r\n--B");
        }
    }

    /** Asserts that nginx and jwtgate answer {@code request} alike; returns nginx's answer. */
    static String same(SideBySide pair, String request) {
        String expected = answer(pair.nginxPort(), request);
        assertThat(answer(pair.gatewayPort(), request)).as(request).isEqualTo(expected);
        return expected;
    }

    /** {@code GET target} with {@code Connection: close} and extra header lines. */
    static String get(String target, String... headers) {
        return request("GET", target, headers);
    }

    static String request(String method, String target, String... headers) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    @Override
    public void close() throws IOException {
        root.resolve("secret.txt").toFile().setReadable(true, false);
        try (Stream<Path> all = Files.walk(root.getParent())) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
