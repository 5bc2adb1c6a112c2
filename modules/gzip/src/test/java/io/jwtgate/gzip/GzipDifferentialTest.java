package io.jwtgate.gzip;

import static io.jwtgate.gzip.GzipTesting.body;
import static io.jwtgate.gzip.GzipTesting.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gzip, gunzip and every gzip directive against stock nginx: the same upstream answers (chosen by the last path
 * segment) and the gateway's own error pages, through locations that set one directive each; the client must see
 * the same head, byte for byte but for server name and date, and the same body once decompressed.
 */
class GzipDifferentialTest {

    static final String HTML = "<html><body>" + "hello gzip world ".repeat(120) + "</body></html>";
    static final byte[] GZ_HTML = GzipTesting.gzip(HTML.getBytes(StandardCharsets.ISO_8859_1));

    static TestBackend backend;
    static SideBySide pair;

    static Reply reply(String name) {
        Reply html = Reply.status(200, HTML).header("Content-Type", "text/html");
        return switch (name) {
            case "json" -> Reply.status(200, GzipTesting.json(10 * 1024)).header("Content-Type", "application/json");
            case "tiny" -> Reply.status(200, "0123456789").header("Content-Type", "text/html");
            case "exact20" -> Reply.status(200, "01234567890123456789").header("Content-Type", "text/html");
            case "chunked" -> Reply.chunked(200, List.of("<p>first</p>", "<p>second</p>"))
                    .header("Content-Type", "text/html");
            case "plain" -> Reply.status(200, HTML).header("Content-Type", "text/plain");
            case "charset" -> Reply.status(200, HTML).header("Content-Type", "text/html; charset=utf-8");
            case "param" -> Reply.status(200, HTML).header("Content-Type", "text/html; foo=bar");
            case "upper" -> Reply.status(200, HTML).header("Content-Type", "TEXT/HTML");
            case "notype" -> Reply.bytes(200, HTML.getBytes(StandardCharsets.ISO_8859_1));
            case "encoded" -> html.header("Content-Encoding", "br");
            case "etag" -> html.header("Accept-Ranges", "bytes").header("ETag", "\"abc\"").header("X-After", "1");
            case "weak" -> html.header("ETag", "W/\"abc\"");
            case "badetag" -> html.header("ETag", "abc").header("X-After", "1");
            case "s201" -> Reply.status(201, HTML).header("Content-Type", "text/html");
            case "s403" -> Reply.status(403, HTML).header("Content-Type", "text/html");
            case "s404" -> Reply.status(404, HTML).header("Content-Type", "text/html");
            case "s500" -> Reply.status(500, HTML).header("Content-Type", "text/html");
            case "nocache" -> html.header("Cache-Control", "no-cache");
            case "nostore" -> html.header("Cache-Control", "max-age=0").header("Cache-Control", "No-Store");
            case "private" -> html.header("Cache-Control", "private, max-age=5");
            case "nocacheval" -> html.header("Cache-Control", "no-cache=\"x\"");
            case "expired" -> html.header("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
            case "future" -> html.header("Expires", "Fri, 01 Jan 2100 00:00:00 GMT");
            case "badexpires" -> html.header("Expires", "0");
            case "lm" -> html.header("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
            case "vary" -> html.header("Vary", "Cookie");
            case "gz" -> gz(200, GZ_HTML).header("ETag", "\"z\"").header("Accept-Ranges", "bytes");
            case "gz404" -> gz(404, GZ_HTML);
            case "gzmulti" -> gz(200, concat(GZ_HTML, GzipTesting.gzip("second member".getBytes(
                    StandardCharsets.ISO_8859_1))));
            default -> Reply.status(400, "unknown case " + name);
        };
    }

    static Reply gz(int code, byte[] body) {
        return Reply.bytes(code, body).header("Content-Type", "text/html").header("Content-Encoding", "gzip");
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(r -> reply(r.uri().substring(r.uri().lastIndexOf('/') + 1)));
        String p = "proxy_pass http://" + backend.hostPort() + ";";
        String locations = """
                location / { %1$s }
                location /vary/ { gzip_vary on; %1$s }
                location /off/ { gzip off; %1$s }
                location /min/ { gzip_min_length 1k; %1$s }
                location /star/ { gzip_types *; %1$s }
                location /plain/ { gzip_types text/plain; %1$s }
                location /disable/ { gzip_disable msie6 "^curl/" "BOT"; %1$s }
                location /msie/ { gzip_disable msie6; %1$s }
                location /http10/ { gzip_http_version 1.0; %1$s }
                location /level9/ { gzip_comp_level 9; gzip_buffers 16 8k; %1$s }
                location /any/ { gzip_proxied any; gzip_vary on; %1$s }
                location /pexp/ { gzip_proxied expired; %1$s }
                location /pnc/ { gzip_proxied no-cache; %1$s }
                location /pns/ { gzip_proxied no-store; %1$s }
                location /ppriv/ { gzip_proxied private; %1$s }
                location /plm/ { gzip_proxied no_last_modified; %1$s }
                location /petag/ { gzip_proxied no_etag; %1$s }
                location /pauth/ { gzip_proxied auth; %1$s }
                location /gunzip/ { gunzip on; gunzip_buffers 8 8k; gzip_vary on; %1$s }
                location /ifoff/ { if ($arg_off) { gzip off; } %1$s }
                location = /missing { return 404; }
                location = /forbidden { return 403; }
                location = /broken { return 500; }
                location = /vary404 { gzip_vary on; return 404; }
                """.formatted(p);
        pair = SideBySide.start(port -> "gzip on; gzip_types application/json;\n"
                + "server { listen 127.0.0.1:" + port + ";\n" + locations + "}", GzipTesting.modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The same request to both; heads and decompressed bodies must match. */
    static RawResponse same(String method, String path, String version, String... headerLines) {
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(' ').append(version)
                .append("\r\nHost: localhost\r\n");
        for (String line : headerLines) {
            req.append(line).append("\r\n");
        }
        String request = req.append("Connection: close\r\n\r\n").toString();
        RawResponse n = send(pair.nginxPort(), request);
        RawResponse g = send(pair.gatewayPort(), request);
        String what = request.replace("\r\n", " | ");
        if (g.header("Content-Encoding") == null && n.header("Content-Encoding") == null) {
            assertThat(SideBySide.masked(g)).as(what).isEqualTo(SideBySide.masked(n));
        } else {
            assertThat(SideBySide.masked(g.head())).as(what).isEqualTo(SideBySide.masked(n.head()));
            assertThat(signatureless(body(g))).as(what).isEqualTo(signatureless(body(n)));
        }
        return g;
    }

    static RawResponse get(String path, String... headerLines) {
        return same("GET", path, "HTTP/1.1", headerLines);
    }

    static String signatureless(String page) {
        return page.replaceAll("<hr><center>(nginx/[^<]*|jwtgate[^<]*)</center>", "<hr><center>*</center>");
    }

    @Test
    void compressesWhatGzipTypesAndStatusAllow() {
        assertThat(get("/x/json", "Accept-Encoding: gzip").header("Content-Encoding")).isEqualTo("gzip");
        for (String c : List.of("chunked", "charset", "param", "upper", "notype", "plain", "encoded", "s201",
                "s403", "s404", "s500", "exact20", "tiny")) {
            get("/x/" + c, "Accept-Encoding: gzip, deflate");
        }
        assertThat(get("/x/s404", "Accept-Encoding: gzip").header("Content-Encoding")).isEqualTo("gzip");
        assertThat(get("/x/s500", "Accept-Encoding: gzip").header("Content-Encoding")).isNull();
    }

    @Test
    void weakensEtagAndDropsAcceptRanges() {
        RawResponse r = get("/x/etag", "Accept-Encoding: gzip");
        assertThat(r.header("ETag")).isEqualTo("W/\"abc\"");
        assertThat(r.header("Accept-Ranges")).isNull();
        get("/x/weak", "Accept-Encoding: gzip");
        assertThat(get("/x/badetag", "Accept-Encoding: gzip").header("ETag")).isNull();
    }

    @Test
    void readsAcceptEncodingAsNginx() {
        for (String ae : List.of("gzip", "GZIP", "deflate, gzip", "deflate,gzip;q=0", "gzip;q=0.5", "gzip; q=1",
                "gzip;q=0.000", "gzip;q=1.5", "gzip;q=0.0001", "x-gzip", "gzipx", "identity", "gzip ; q=1",
                "br;q=1, gzip;q=0.001", "gzip;level=1", "gzip;q=", "gzip,", "gz")) {
            get("/x/json", "Accept-Encoding: " + ae);
        }
        get("/x/json");
    }

    @Test
    void directivesPerLocation() {
        String ae = "Accept-Encoding: gzip";
        for (String path : List.of("/vary/json", "/vary/s500", "/off/json", "/min/json", "/min/html", "/star/plain",
                "/star/notype", "/plain/plain", "/plain/json", "/level9/json", "/ifoff/json", "/ifoff/json?off=1",
                "/vary/vary", "/vary/encoded")) {
            get(path, ae);
        }
        get("/vary/json");
        same("GET", "/vary/json", "HTTP/1.0", ae);
        same("GET", "/x/json", "HTTP/1.0", ae);
        same("GET", "/http10/json", "HTTP/1.0", ae);
        same("HEAD", "/vary/json", "HTTP/1.1", ae);
        same("HEAD", "/x/json", "HTTP/1.1");
    }

    @Test
    void gzipDisable() {
        String ae = "Accept-Encoding: gzip";
        for (String ua : List.of("curl/8.0", "a curl/8.0", "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)",
                "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)", "Mozilla/4.0 (compatible; MSIE 5.5;)",
                "Mozilla/5.0 (compatible; MSIE 9.0;)", "MSIE 6", "googlebot", "GoogleBot")) {
            get("/disable/json", ae, "User-Agent: " + ua);
            get("/msie/json", ae, "User-Agent: " + ua);
        }
    }

    @Test
    void gzipProxied() {
        String ae = "Accept-Encoding: gzip";
        String via = "Via: 1.1 cache";
        for (String loc : List.of("/x/", "/any/", "/pexp/", "/pnc/", "/pns/", "/ppriv/", "/plm/", "/petag/",
                "/pauth/")) {
            for (String c : List.of("html", "nocache", "nostore", "private", "nocacheval", "expired", "future",
                    "badexpires", "etag")) {
                get(loc + c, ae, via);
            }
            // jwtgate writes an upstream's Last-Modified among nginx's own headers, nginx where it came: the
            // order is the proxy's matter, the decision is compared here
            RawResponse n = send(pair.nginxPort(), "GET " + loc + "lm HTTP/1.1\r\nHost: x\r\n" + ae + "\r\n" + via
                    + "\r\nConnection: close\r\n\r\n");
            RawResponse g = send(pair.gatewayPort(), "GET " + loc + "lm HTTP/1.1\r\nHost: x\r\n" + ae + "\r\n"
                    + via + "\r\nConnection: close\r\n\r\n");
            assertThat(g.header("Content-Encoding")).as(loc).isEqualTo(n.header("Content-Encoding"));
            get(loc + "html", ae, via, "Authorization: Bearer x");
        }
    }

    @Test
    void gatewayErrorPagesAreCompressed() {
        for (String path : List.of("/missing", "/forbidden", "/broken", "/vary404")) {
            get(path, "Accept-Encoding: gzip");
            get(path);
        }
        same("HEAD", "/missing", "HTTP/1.1", "Accept-Encoding: gzip");
        same("GET", "/missing", "HTTP/1.0", "Accept-Encoding: gzip");
    }

    @Test
    void gunzipForClientsWithoutGzip() {
        for (String c : List.of("gz", "gz404", "gzmulti", "html")) {
            assertThat(get("/gunzip/" + c).header("Content-Encoding")).isNull();
            get("/gunzip/" + c, "Accept-Encoding: gzip");
            get("/x/" + c);
        }
        assertThat(body(get("/gunzip/gzmulti"))).isEqualTo(HTML + "second member");
        same("HEAD", "/gunzip/gz", "HTTP/1.1");
        same("GET", "/gunzip/gz", "HTTP/1.0");
    }
}
