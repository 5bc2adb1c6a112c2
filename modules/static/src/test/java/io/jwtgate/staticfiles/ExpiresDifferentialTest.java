package io.jwtgate.staticfiles;

import static io.jwtgate.staticfiles.StaticSite.answer;
import static io.jwtgate.staticfiles.StaticSite.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code expires} in all its forms side by side with stock nginx, on files (with {@code Last-Modified}), redirects,
 * 304s and errors, with {@code add_header} after it. The values depend on the clock: a pair of answers that fell in
 * different seconds is asked again.
 */
class ExpiresDifferentialTest {

    static StaticSite site;
    static SideBySide pair;

    static final List<String> VALUES = List.of("1h", "+30m", "-1h", "0", "epoch", "max", "off", "modified 1h",
            "modified -100y", "modified 100y", "@3h30m", "@0", "$arg_e", "modified $arg_e", "1d2h3m4s");

    @BeforeAll
    static void start() throws Exception {
        site = StaticSite.create();
        StringBuilder locations = new StringBuilder();
        for (int i = 0; i < VALUES.size(); i++) {
            locations.append("location /e").append(i).append("/ { alias ").append(site.root)
                    .append("/; expires ").append(VALUES.get(i)).append("; add_header X-After 1; }\n");
        }
        pair = SideBySide.start(port -> """
                server {
                    listen 127.0.0.1:%1$d;
                    server_name localhost;
                    root %2$s;
                    expires 2h;
                    location / { }
                    location /ret/ { expires 1h; return 302 /a.txt; }
                    location /inner/ { location /inner/x/ { expires off; alias %2$s/; } }
                    %3$s
                }
                """.formatted(port, site.root, locations), StaticSite.MODULES);
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

    /** The same answer from both, asked up to three times when the two fell in different seconds. */
    static String sameInOneSecond(String request) {
        String expected = null;
        String actual = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            expected = answer(pair.nginxPort(), request);
            actual = answer(pair.gatewayPort(), request);
            if (expected.equals(actual)) {
                break;
            }
        }
        assertThat(actual).as(request).isEqualTo(expected);
        return expected;
    }

    @Test
    void expiresAsNginx() {
        assertThat(sameInOneSecond(get("/e0/a.txt"))).contains("Cache-Control: max-age=3600\r\nX-After: 1");
        String etag = "\"" + Long.toHexString(StaticSite.MTIME) + "-25\"";
        for (int i = 0; i < VALUES.size(); i++) {
            for (String target : List.of("/e" + i + "/a.txt", "/e" + i + "/sub", "/e" + i + "/missing",
                    "/e" + i + "/a.txt?e=1h", "/e" + i + "/a.txt?e=epoch", "/e" + i + "/a.txt?e=off",
                    "/e" + i + "/a.txt?e=bad", "/e" + i + "/a.txt?e=@1h")) {
                sameInOneSecond(get(target));
            }
            sameInOneSecond(get("/e" + i + "/a.txt", "If-None-Match: " + etag));
            sameInOneSecond(get("/e" + i + "/a.txt", "Range: bytes=1-2"));
        }
        for (String target : List.of("/a.txt", "/ret/", "/inner/x/a.txt", "/inner/a.txt")) {
            sameInOneSecond(get(target));
        }
    }

    @Test
    void invalidValuesRefusedAsNginx() throws Exception {
        for (String[] bad : new String[][] {
            {"expires 1x;", "invalid value in "},
            {"expires later 1h;", "invalid value in "},
            {"expires modified @1h;", "daily time cannot be used with \"modified\" parameter in "},
            {"expires @25h;", "daily time value must be less than 24 hours in "},
            {"expires 1h; expires 2h;", "\"expires\" directive is duplicate in "},
        }) {
            String conf = "http { server { listen 127.0.0.1:" + TestGateway.freePort() + "; location / { " + bad[0]
                    + " } } }";
            assertThat(TestGateway.configError(conf, StaticSite.MODULES).getMessage()).as(bad[0])
                    .startsWith(bad[1]);
        }
    }
}
