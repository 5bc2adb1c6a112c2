package io.jwtgate.staticfiles;

import static io.jwtgate.staticfiles.StaticSite.get;
import static io.jwtgate.staticfiles.StaticSite.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.codec.HttpTime;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gzip_static on|off|always} side by side with stock nginx, and {@code Range} on a file the gzip filter
 * compresses (a 200 with the whole file compressed, not a 206): which file is sent for which client, its headers
 * (type of the name asked for, length, {@code ETag} and {@code Last-Modified} of the {@code .gz},
 * {@code Content-Encoding}, {@code Vary}), HEAD, ranges and conditions on the {@code .gz}, the fallbacks (no
 * {@code .gz}, a directory, an unreadable one) and {@code gunzip} of an {@code always} answer.
 */
class GzipStaticDifferentialTest {

    static final String TEXT = "<html><body>" + "static gzip text ".repeat(60) + "</body></html>\n";
    static final long GZ_MTIME = 1_700_000_500L;

    static Path base;
    static Path root;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        base = Files.createTempDirectory("gzip-static");
        root = Files.createDirectories(base.resolve("www"));
        write("page.html", TEXT.getBytes(StandardCharsets.ISO_8859_1));
        // a .gz of other content, so that a test sees which file was sent
        write("page.html.gz", gzip(("<p>precompressed</p>" + "z".repeat(200)).getBytes(StandardCharsets.US_ASCII)));
        write("plain.txt", TEXT.getBytes(StandardCharsets.ISO_8859_1));
        write("only.js.gz", gzip("var only = 1;\n".getBytes(StandardCharsets.US_ASCII)));
        write("dir.txt", "a file whose .gz is a directory\n".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(root.resolve("dir.txt.gz"));
        write("locked.txt", "its .gz is unreadable\n".getBytes(StandardCharsets.US_ASCII));
        write("locked.txt.gz", gzip("locked".getBytes(StandardCharsets.US_ASCII)));
        write("sub/x.css", "body { color: red }\n".getBytes(StandardCharsets.US_ASCII));
        write("sub/x.css.gz", gzip("body { color: blue }\n".getBytes(StandardCharsets.US_ASCII)));
        Files.writeString(base.resolve("outside.txt.gz"), "outside the root");
        write("fifo.txt", "its .gz is a FIFO\n".getBytes(StandardCharsets.US_ASCII));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("fifo.txt.gz").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.filter(p -> !p.endsWith("fifo.txt.gz")).toList()) {
                long mtime = p.toString().endsWith(".gz") ? GZ_MTIME : StaticSite.MTIME;
                Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
            }
        }
        root.resolve("locked.txt.gz").toFile().setReadable(false, false);
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%1$d;
                    server_name localhost;
                    root %2$s;
                    location / { gzip_static on; }
                    location /off/ { alias %2$s/; gzip_static off; }
                    location /vary/ { alias %2$s/; gzip_static on; gzip_vary on; }
                    location /always/ { alias %2$s/; gzip_static always; gzip_vary on; }
                    location /gunzip/ { alias %2$s/; gzip_static always; gunzip on; }
                    location /http10/ { alias %2$s/; gzip_static on; gzip_http_version 1.0; }
                    location /disable/ { alias %2$s/; gzip_static on; gzip_disable "^curl/"; }
                    location /proxied/ { alias %2$s/; gzip_static on; gzip_proxied expired; }
                    location /cached/ { alias %2$s/; gzip_static on; gzip on; gzip_types text/plain;
                                        gzip_proxied no_etag; }
                    location /filter/ { alias %2$s/; gzip on; gzip_types text/plain; }
                    location /filtervary/ { alias %2$s/; gzip on; gzip_vary on; }
                    location /ims/ { alias %2$s/; gzip_static on; if_modified_since before; }
                    location /noetag/ { alias %2$s/; gzip_static on; etag off; }
                    location /err/ { alias %2$s/; error_page 404 /page.html; }
                    location /tried/ { alias %2$s/; gzip_static on; try_files $uri =404; }
                    location /idx/ { alias %2$s/; gzip_static on; gzip_vary on; index page.html; }
                }
                """.formatted(port, root), StaticSite.MODULES);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (base != null) {
            root.resolve("locked.txt.gz").toFile().setReadable(true, false);
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static final List<String> PREFIXES = List.of("/", "/off/", "/vary/", "/always/", "/gunzip/", "/http10/",
            "/disable/", "/proxied/", "/cached/", "/ims/", "/noetag/", "/tried/");

    static final List<String> FILES = List.of("page.html", "plain.txt", "only.js", "dir.txt", "locked.txt",
            "fifo.txt", "sub/x.css", "missing.html", "sub/", "sub");

    @Test
    void whichFileForWhichClientAsNginx() {
        List<String[]> clients = List.of(new String[] {"Accept-Encoding: gzip"}, new String[] {},
                new String[] {"Accept-Encoding: gzip;q=0"}, new String[] {"Accept-Encoding: deflate, gzip"},
                new String[] {"Accept-Encoding: gzip", "User-Agent: curl/8.0"},
                new String[] {"Accept-Encoding: gzip", "Via: 1.1 proxy"},
                new String[] {"Accept-Encoding: gzip", "Via: 1.1 proxy", "Authorization: Basic eDp5"});
        for (String prefix : PREFIXES) {
            for (String file : FILES) {
                for (String[] client : clients) {
                    sameDecoded(get(prefix + file, client));
                }
                sameDecoded(request("HEAD", prefix + file, "Accept-Encoding: gzip"));
                sameDecoded(request("HEAD", prefix + file));
                sameDecoded(request("POST", prefix + file, "Accept-Encoding: gzip", "Content-Length: 0"));
                sameDecoded(get(prefix + file, "Accept-Encoding: gzip").replace("HTTP/1.1", "HTTP/1.0"));
            }
        }
        for (String[] client : clients) {
            sameDecoded(get("/idx/", client));
        }
        RawResponse gz = sameDecoded(get("/page.html", "Accept-Encoding: gzip"));
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(decoded(gz)).startsWith("<p>precompressed</p>");
        assertThat(same(get("/vary/page.html"))).contains("Vary: Accept-Encoding").contains("static gzip text");
        assertThat(same(get("/gunzip/page.html"))).doesNotContain("Content-Encoding").contains("precompressed");
        assertThat(sameDecoded(get("/cached/plain.txt", "Accept-Encoding: gzip", "Via: 1.1 proxy"))
                .header("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void rangesAndConditionsOnTheGzAsNginx() {
        String gz = "\"" + Long.toHexString(GZ_MTIME) + "-";
        for (String prefix : List.of("/", "/always/", "/gunzip/", "/ims/", "/noetag/")) {
            for (String spec : List.of("bytes=0-9", "bytes=-5", "bytes=0-1,4-5", "bytes=5000-", "bytes=x")) {
                same(get(prefix + "page.html", "Accept-Encoding: gzip", "Range: " + spec));
                same(get(prefix + "page.html", "Range: " + spec));
                same(request("HEAD", prefix + "page.html", "Accept-Encoding: gzip", "Range: " + spec));
            }
            for (long t : new long[] {GZ_MTIME, StaticSite.MTIME, GZ_MTIME + 5}) {
                String date = HttpTime.format(t);
                same(get(prefix + "page.html", "Accept-Encoding: gzip", "If-Modified-Since: " + date));
                same(get(prefix + "page.html", "Accept-Encoding: gzip", "Range: bytes=0-3", "If-Range: " + date));
            }
            for (String tag : List.of("*", "\"x\"")) {
                same(get(prefix + "page.html", "Accept-Encoding: gzip", "If-None-Match: " + tag));
                same(get(prefix + "page.html", "Accept-Encoding: gzip", "If-Match: " + tag));
            }
        }
        // nginx 1.22 allows no ranges on a .gz (later versions do)
        assertThat(same(get("/page.html", "Accept-Encoding: gzip", "Range: bytes=0-9"))).startsWith("HTTP/1.1 200")
                .contains("ETag: " + gz).doesNotContain("Accept-Ranges");
    }

    @Test
    void rangeOnACompressedFileIsTheWholeFileCompressedAsNginx() {
        for (String spec : List.of("bytes=0-9", "bytes=0-1,4-5", "bytes=-5", "bytes=0-")) {
            for (String prefix : List.of("/filter/", "/filtervary/", "/cached/")) {
                sameDecoded(get(prefix + "plain.txt", "Accept-Encoding: gzip", "Range: " + spec));
                sameDecoded(get(prefix + "page.html", "Accept-Encoding: gzip", "Range: " + spec));
                sameDecoded(get(prefix + "plain.txt", "Range: " + spec));
                sameDecoded(request("HEAD", prefix + "plain.txt", "Accept-Encoding: gzip", "Range: " + spec));
            }
        }
        RawResponse r = sameDecoded(get("/filter/plain.txt", "Accept-Encoding: gzip", "Range: bytes=0-9"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Accept-Ranges")).isNull();
        assertThat(new String(gunzip(r.body()), StandardCharsets.ISO_8859_1)).isEqualTo(TEXT);
    }

    @Test
    void noGzOutsideTheRootAsNginx() {
        for (String target : List.of("/../outside.txt", "/%2e%2e/outside.txt", "/sub/../../outside.txt",
                "/%2E%2E%2Foutside.txt", "/outside.txt%00", "/sub/..%2f..%2foutside.txt")) {
            assertThat(same(get(target, "Accept-Encoding: gzip"))).doesNotContain("outside the root");
        }
    }

    @Test
    void anErrorPageFileGetsItsGzAsNginx() {
        same(get("/err/missing", "Accept-Encoding: gzip"));
        same(get("/err/missing"));
    }

    /** Asserts that nginx and jwtgate answer {@code request} alike; returns nginx's answer. */
    static String same(String request) {
        return StaticSite.same(pair, request);
    }

    /**
     * Asserts that nginx and jwtgate answer alike, as {@link StaticSite#same} does but for a gzipped body, compared
     * once decompressed (zlib's output for the same input may differ by a few bytes, docs/gzip.md); returns nginx's
     * answer.
     */
    static RawResponse sameDecoded(String request) {
        RawResponse nginx = fetch(pair.nginxPort(), request);
        RawResponse jwtgate = fetch(pair.gatewayPort(), request);
        if (!"gzip".equals(nginx.header("Content-Encoding"))) {
            StaticSite.same(pair, request);
            return nginx;
        }
        assertThat(masked(SideBySide.masked(jwtgate.head()))).as(request)
                .isEqualTo(masked(SideBySide.masked(nginx.head())));
        String page = decoded(nginx).replaceAll("<hr><center>nginx[^<]*</center>",
                "<hr><center>" + SideBySide.jwtgateServer(nginx.header("Server")) + "</center>");
        assertThat(decoded(jwtgate)).as(request).isEqualTo(page);
        return nginx;
    }

    /** Multipart boundaries masked, as {@link StaticSite#answer} masks them. */
    static String masked(String text) {
        return text.replaceAll("boundary=[0-9]+", "boundary=B").replaceAll("\r\n--[0-9]{20}", "\r\n--B");
    }

    static RawResponse fetch(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send(request).readResponse(request.startsWith("HEAD "));
        }
    }

    static String decoded(RawResponse r) {
        byte[] b = "gzip".equals(r.header("Content-Encoding")) && r.body().length > 0 ? gunzip(r.body()) : r.body();
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static void write(String name, byte[] data) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
