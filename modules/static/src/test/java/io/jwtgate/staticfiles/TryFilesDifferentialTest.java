package io.jwtgate.staticfiles;

import static io.jwtgate.staticfiles.StaticSite.get;
import static io.jwtgate.staticfiles.StaticSite.request;
import static io.jwtgate.staticfiles.StaticSite.same;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.SideBySide;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code try_files} side by side with stock nginx: files, {@code $uri/}, {@code =code}, a named location, a URI with
 * arguments as the last resort, under {@code root}, a prefix {@code alias} and a regex {@code alias} with captures,
 * the SPA fallback people publish; and path traversal, plain and encoded, against {@code root} and {@code alias}.
 */
class TryFilesDifferentialTest {

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
                    location / { try_files $uri $uri/ =404; }
                    location /spa/ { try_files $uri $uri/ /spa/index.html; }
                    location /named/ { try_files $uri @fallback; }
                    location @fallback { return 200 "fallback uri=$uri args=$args"; }
                    location /code/ { try_files /nothing =418; }
                    location /args/ { try_files $uri /target/?from=$uri&$args; }
                    location /target/ { return 200 "target uri=$uri args=$args"; }
                    location /al/ { alias %2$s/sub/; try_files $uri $uri/ =404; }
                    location /alc/ { alias %2$s/sub/; try_files /page.html =404; }
                    location ~ ^/ral/(.*)$ { alias %2$s/$1; try_files $uri $uri/ =404; }
                    location ~ ^/rdir/(.*)$ { alias %2$s/sub/; try_files $uri/ =404; }
                    location /vars/ { try_files $uri /vars/fallback.txt =404;
                                      add_header X-File $request_filename; add_header X-Uri $uri; }
                    location /loop/ { try_files /nothing /loop/x; }
                    location /t/ { alias %2$s/; }
                    location ~ ^/tr/(.*)$ { alias %2$s/sub/$1; }
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
    void tryFilesAsNginx() {
        assertThat(same(pair, get("/spa/deep/route?x=1"))).contains("<div id=app>");
        for (String target : List.of("/a.txt", "/sub", "/sub/", "/missing", "/empty", "/empty/", "/spa/",
                "/spa/app.js", "/spa/missing.js", "/named/a.txt", "/named/missing?q=1", "/code/x", "/args/a.txt",
                "/args/nope?a=1&b=2", "/al/a.txt", "/al/page.html", "/al/", "/al/missing", "/alc/anything",
                "/ral/a.txt", "/ral/sub/", "/ral/sub", "/ral/missing", "/rdir/x", "/vars/a.txt", "/vars/missing",
                "/loop/y")) {
            same(pair, get(target));
            same(pair, request("HEAD", target));
        }
        same(pair, request("POST", "/spa/x"));
        same(pair, request("DELETE", "/named/missing"));
    }

    @Test
    void traversalNeverLeavesTheRootAsNginx() {
        for (String target : List.of("/../outside/o.txt", "/..%2foutside/o.txt", "/%2e%2e/outside/o.txt",
                "/%2E%2E%2Foutside%2Fo.txt", "/sub/../../outside/o.txt", "/sub/%2e%2e/%2e%2e/outside/o.txt",
                "/t/../outside/o.txt", "/t/%2e%2e/outside/o.txt", "/t/..%2Foutside/o.txt",
                "/tr/../../outside/o.txt", "/tr/..%2f..%2foutside%2fo.txt", "/tr/%2e%2e/%2e%2e/outside/o.txt",
                "/ral/..%2foutside/o.txt", "/a.txt%00.html", "/a.txt%00", "/%00", "/sub/.%2e/a.txt",
                "/sub/%2e/a.txt", "/.%2e/.%2e/etc/passwd", "/t/.%2e/.%2e/.%2e/etc/passwd", "/a.txt%2f",
                "/sub%2fpage.html", "/\\..\\outside\\o.txt")) {
            String answer = same(pair, get(target));
            assertThat(answer).as(target).doesNotContain("outside the root\n", "root:x:0:0");
        }
        // a symbolic link in the root is followed wherever it points, as nginx does with disable_symlinks off
        assertThat(same(pair, get("/link.txt"))).endsWith("outside the root\n");
        assertThat(same(pair, get("/t/link.txt"))).endsWith("outside the root\n");
        // a literal NUL in the request line is refused before any file is looked for
        assertThat(same(pair, "GET /a.txt\0.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }
}
