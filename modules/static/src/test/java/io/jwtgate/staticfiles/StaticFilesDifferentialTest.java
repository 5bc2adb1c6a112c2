package io.jwtgate.staticfiles;

import static io.jwtgate.staticfiles.StaticSite.get;
import static io.jwtgate.staticfiles.StaticSite.request;
import static io.jwtgate.staticfiles.StaticSite.same;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jwtgate.core.codec.HttpTime;
import io.jwtgate.testing.SideBySide;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Static files side by side with stock nginx, the same files and configuration for both: {@code root},
 * {@code alias} (prefix and regex with captures), {@code index}, {@code types}, {@code include mime.types},
 * {@code default_type}, {@code etag}, {@code if_modified_since}, {@code log_not_found}, directories, methods, HEAD,
 * errors and their log lines, and the conditional requests. Every answer must be the same, byte for byte.
 */
class StaticFilesDifferentialTest {

    static StaticSite site;
    static SideBySide pair;

    @BeforeAll
    static void start() throws Exception {
        site = StaticSite.create();
        AtomicInteger starts = new AtomicInteger();
        // nginx reads its own copy of the types; jwtgate, without a mime.types next to its configuration, its built-in
        pair = SideBySide.start(port -> servers(port, starts.getAndIncrement() == 0 ? "/etc/nginx/mime.types"
                : "mime.types"), StaticSite.MODULES);
    }

    static String servers(int port, String mimeTypes) {
        String root = site.root.toString();
        return """
                server {
                    listen 127.0.0.1:%1$d;
                    server_name localhost;
                    root %2$s/;
                    location / { }
                    location /typed/ { alias %2$s/; types { text/x-test txt TXT; application/x-c css; }
                                       default_type application/x-default; }
                    location /untyped/ { alias %2$s/; default_type ""; }
                    location /mime/ { alias %2$s/; include %3$s; }
                    location /noetag/ { alias %2$s/; etag off; if_modified_since before; }
                    location /imsoff/ { alias %2$s/; if_modified_since off; }
                    location /idx/ { alias %2$s/; index missing.html $arg_i page.html; }
                    location /idxabs/ { alias %2$s/empty/; index nothere.html /a.txt; }
                    location /quiet/ { alias %2$s/; log_not_found off; }
                    location ~ ^/re/(.+)$ { alias %2$s/$1; }
                    location ~ ^/rsub/(?<rest>.*)$ { alias %2$s/sub/$rest; }
                    location /vars/ { alias %2$s/;
                        add_header X-Doc $document_root; add_header X-File $request_filename;
                        add_header X-Real $realpath_root; }
                    location /hdr/ { alias %2$s/; add_header X-Add yes; }
                    location /ep/ { alias %2$s/; error_page 404 /a.txt; }
                    location /ep200/ { alias %2$s/; error_page 404 =200 /a.txt; }
                }
                """.formatted(port, root, mimeTypes);
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
    void filesTypesAndMethodsAsNginx() {
        assertThat(same(pair, get("/a.txt"))).startsWith("HTTP/1.1 200 OK").contains("ETag: ", "Accept-Ranges: ");
        for (String target : List.of("/", "/index.html", "/style.CSS", "/data.json", "/noext", "/.hidden", "/file.",
                "/empty.txt", "/sp%20ace.txt", "/%C3%A9t%C3%A9.txt", "/link.txt", "/sub/", "/sub/page.html",
                "/typed/a.txt", "/typed/style.CSS", "/typed/noext", "/typed/index.html", "/untyped/a.txt",
                "/mime/data.json", "/mime/style.CSS", "/mime/big.bin", "/re/a.txt", "/re/sub/", "/rsub/page.html",
                "/vars/a.txt", "/hdr/a.txt", "/a.txt?x=1", "//a.txt", "/sub/../a.txt", "/./a.txt", "/16k.bin",
                "/16k1.bin", "/big.bin")) {
            same(pair, get(target));
        }
        for (String method : List.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS")) {
            same(pair, request(method, "/a.txt"));
            same(pair, request(method, "/sub/"));
            same(pair, request(method, "/missing"));
        }
        same(pair, "GET /a.txt HTTP/1.0\r\n\r\n");
        for (String prefix : List.of("/ep/", "/ep200/")) {
            same(pair, get(prefix + "missing"));
            same(pair, get(prefix + "missing", "Range: bytes=1-2"));
            same(pair, get(prefix + "missing", "If-Modified-Since: " + HttpTime.format(StaticSite.MTIME)));
            same(pair, request("HEAD", prefix + "missing"));
        }
        same(pair, "HEAD /empty.txt HTTP/1.0\r\n\r\n");
    }

    @Test
    void directoriesAndIndexAsNginx() {
        assertThat(same(pair, get("/sub"))).startsWith("HTTP/1.1 301").contains("Location: http://localhost:PORT/sub/");
        for (String target : List.of("/sub?a=1&b=2", "/empty/", "/empty", "/idx/", "/idx/?i=a.txt", "/idx/?i=nope",
                "/idx/sub/", "/idxabs/", "/re/sub", "/typed/sub", "/idx/empty/", "/idx/missing/",
                "/sp%20ace.txt/", "/a.txt/")) {
            same(pair, get(target));
        }
    }

    @Test
    void errorsAndTheirLogLinesAsNginx() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            List<String> before = pair.nginxErrorMessages();
            for (String target : List.of("/missing", "/a.txt/x", "/secret.txt", "/quiet/missing", "/empty/",
                    "/missing/", "/idx/missing/", "/re/nothing")) {
                same(pair, get(target));
            }
            List<String> expected = pair.nginxErrorMessages();
            expected = expected.subList(before.size(), expected.size());
            assertThat(expected).anyMatch(m -> m.startsWith("open() \"" + site.root + "/missing\" failed "
                    + "(2: No such file or directory), client: 127.0.0.1, server: localhost"));
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactlyElementsOf(expected);
        } finally {
            root.detachAppender(appender);
        }
    }

    @Test
    void conditionalRequestsAsNginx() {
        String lm = HttpTime.format(StaticSite.MTIME);
        String older = HttpTime.format(StaticSite.MTIME - 60);
        String newer = HttpTime.format(StaticSite.MTIME + 60);
        String etag = "\"" + Long.toHexString(StaticSite.MTIME) + "-25\"";
        String[][] cases = {
            {"If-Modified-Since: " + lm}, {"If-Modified-Since: " + older}, {"If-Modified-Since: " + newer},
            {"If-Modified-Since: garbage"}, {"If-Modified-Since: Tuesday, 14-Nov-23 22:13:20 GMT"},
            {"If-Modified-Since: Tue Nov 14 22:13:20 2023"},
            {"If-None-Match: " + etag}, {"If-None-Match: W/" + etag}, {"If-None-Match: \"x\", " + etag},
            {"If-None-Match: *"}, {"If-None-Match: \"other\""},
            {"If-None-Match: \"other\"", "If-Modified-Since: " + lm},
            {"If-None-Match: " + etag, "If-Modified-Since: " + older},
            {"If-Match: " + etag}, {"If-Match: \"other\""}, {"If-Match: W/" + etag}, {"If-Match: *"},
            {"If-Unmodified-Since: " + lm}, {"If-Unmodified-Since: " + older}, {"If-Unmodified-Since: nonsense"},
        };
        for (String[] headers : cases) {
            for (String prefix : List.of("/", "/noetag/", "/imsoff/", "/hdr/")) {
                same(pair, get(prefix + "a.txt", headers));
            }
            same(pair, request("HEAD", "/a.txt", headers));
        }
        assertThat(same(pair, get("/a.txt", "If-None-Match: " + etag))).startsWith("HTTP/1.1 304");
        assertThat(same(pair, get("/a.txt", "If-Match: \"other\""))).startsWith("HTTP/1.1 412");
    }
}
