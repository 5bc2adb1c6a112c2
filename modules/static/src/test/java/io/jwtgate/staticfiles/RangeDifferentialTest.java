package io.jwtgate.staticfiles;

import static io.jwtgate.staticfiles.StaticSite.get;
import static io.jwtgate.staticfiles.StaticSite.request;
import static io.jwtgate.staticfiles.StaticSite.same;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.codec.HttpTime;
import io.jwtgate.testing.SideBySide;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Range} requests side by side with stock nginx: single ranges (206), unsatisfiable ones (416), several
 * ranges ({@code multipart/byteranges}), {@code If-Range}, {@code max_ranges}, and hostile headers (thousands of
 * ranges, numbers past 2^63, overlapping ranges that would make the answer bigger than the file).
 */
class RangeDifferentialTest {

    static StaticSite site;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        site = StaticSite.create();
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%1$d;
                    server_name localhost;
                    root %2$s;
                    location / { }
                    location /two/ { alias %2$s/; max_ranges 2; }
                    location /one/ { alias %2$s/; max_ranges 1; }
                    location /none/ { alias %2$s/; max_ranges 0; }
                    location /sf/ { alias %2$s/; sendfile on; }
                    location /hdr/ { alias %2$s/; add_header X-Added 1; }
                    location /err/ { alias %2$s/; error_page 416 /a.txt; }
                }
                """.formatted(port, site.root), StaticSite.MODULES);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void rangesAsNginx() {
        assertThat(same(pair, get("/a.txt", "Range: bytes=0-9"))).startsWith("HTTP/1.1 206")
                .contains("Content-Range: bytes 0-9/37").endsWith("0123456789");
        assertThat(same(pair, get("/a.txt", "Range: bytes=0-1,5-6"))).contains("multipart/byteranges");
        assertThat(same(pair, get("/a.txt", "Range: bytes=100-"))).startsWith("HTTP/1.1 416");
        List<String> specs = List.of("bytes=-10", "bytes=10-", "bytes=0-0", "bytes=36-", "bytes=37-", "bytes=-0",
                "bytes=-100", "bytes=5-1", "bytes=0-100", "bytes= 1 - 2 , 4 - 5", "BYTES=1-2", "bytes=1-2,",
                "bytes=,1-2", "bytes=1-2,x", "bytes=x", "bytes=", "bytes=1", "chars=1-2", "bytes=1-2;3-4",
                "bytes=0-1,0-1,0-1", "bytes=0-10,5-15", "bytes=0-1,3-4,100-200", "bytes=100-200,0-1",
                "bytes=99999999999999999999-", "bytes=0-99999999999999999999", "bytes=9223372036854775807-",
                "bytes=-9223372036854775807", "bytes=0-", "bytes=1-1,3-3,5-5,7-7");
        for (String spec : specs) {
            for (String prefix : List.of("/", "/two/", "/one/", "/none/", "/sf/")) {
                same(pair, get(prefix + "a.txt", "Range: " + spec));
            }
            if (!same(pair, get("/a.txt", "Range: " + spec)).startsWith("HTTP/1.1 416")) {
                // nginx's 416 keeps the headers its headers filter added for the 200, and its error page the
                // file's ETag (docs/static.md#ranges)
                same(pair, get("/hdr/a.txt", "Range: " + spec));
                same(pair, get("/err/a.txt", "Range: " + spec));
            }
            for (String file : List.of("/big.bin", "/16k.bin", "/16k1.bin")) {
                same(pair, get(file, "Range: " + spec));
            }
            same(pair, get("/empty.txt", "Range: " + spec));
            same(pair, request("HEAD", "/a.txt", "Range: " + spec));
        }
    }

    @Test
    void ifRangeAsNginx() {
        String etag = "\"" + Long.toHexString(StaticSite.MTIME) + "-25\"";
        for (String ifRange : List.of(etag, "W/" + etag, "\"x\"", HttpTime.format(StaticSite.MTIME),
                HttpTime.format(StaticSite.MTIME + 1), "nonsense", "\"")) {
            same(pair, get("/a.txt", "Range: bytes=1-3", "If-Range: " + ifRange));
            same(pair, get("/a.txt", "Range: bytes=1-3,5-6", "If-Range: " + ifRange));
        }
        same(pair, get("/a.txt", "Range: bytes=1-3", "If-None-Match: " + etag));
        same(pair, get("/a.txt", "Range: bytes=1-3", "If-Match: \"x\""));
    }

    @Test
    void hostileRangeHeadersAsNginx() {
        StringBuilder many = new StringBuilder("bytes=");
        for (int i = 0; i < 1000; i++) {
            many.append(i == 0 ? "" : ",").append(i * 90).append('-').append(i * 90 + 1);
        }
        assertThat(many.length()).isGreaterThan(4000);
        same(pair, get("/big.bin", "Range: " + many));
        same(pair, get("/two/big.bin", "Range: " + many));
        StringBuilder overlapping = new StringBuilder("bytes=0-");
        for (int i = 0; i < 300; i++) {
            overlapping.append(",0-");
        }
        assertThat(same(pair, get("/big.bin", "Range: " + overlapping))).startsWith("HTTP/1.1 200");
        StringBuilder small = new StringBuilder("bytes=0-0");
        for (int i = 1; i < 200; i++) {
            small.append(',').append(i * 400).append('-').append(i * 400);
        }
        same(pair, get("/big.bin", "Range: " + small));
        same(pair, get("/big.bin", "Range: bytes=" + "1".repeat(3000) + "-"));
    }
}
