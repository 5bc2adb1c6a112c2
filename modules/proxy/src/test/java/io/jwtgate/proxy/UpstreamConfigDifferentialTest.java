package io.jwtgate.proxy;

import io.jwtgate.testing.NginxConfigCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The balancing methods, {@code server} parameters, {@code zone} and {@code proxy_next_upstream*} against
 * {@code nginx -t}: the same refusals (reason and line) and the same warnings for what both accept.
 */
class UpstreamConfigDifferentialTest {

    private static final String S = "server 127.0.0.1:1;";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "upstream u {\\nhash $arg_x;\\nserver 127.0.0.1:1 backup;\\n}",
        "upstream u {\\nip_hash;\\nserver 127.0.0.1:1 backup;\\n}",
        "upstream u {\\nrandom;\\nserver 127.0.0.1:1 backup;\\n}",
        "upstream u {\\nrandom two least_time;\\n" + S + "\\n}",
        "upstream u {\\nrandom one;\\n" + S + "\\n}",
        "upstream u {\\nhash $arg_x foo;\\n" + S + "\\n}",
        "upstream u {\\nhash;\\n" + S + "\\n}",
        "upstream u {\\nleast_conn x;\\n" + S + "\\n}",
        "upstream u {\\nip_hash x;\\n" + S + "\\n}",
        "upstream u {\\nrandom two least_conn x;\\n" + S + "\\n}",
        "upstream u {\\nzone z;\\n" + S + "\\n}",
        "upstream u {\\nzone z 1k;\\n" + S + "\\n}",
        "upstream u {\\nzone z 64x;\\n" + S + "\\n}",
        "upstream u {\\nzone \"\" 64k;\\n" + S + "\\n}",
        "upstream u {\\nzone z 64k;\\n" + S + "\\n}\\nupstream v {\\nzone z 128k;\\n" + S + "\\n}",
        "upstream u {\\nserver 127.0.0.1:1 max_conns=-1;\\n}",
        "upstream u {\\nserver 127.0.0.1:1 max_conns=x;\\n}",
        "upstream u {\\nserver 127.0.0.1:1 max_conns=0 weight=0;\\n}",
        "upstream u {\\nserver 127.0.0.1:1 slow_start=10s;\\n}",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream error foo;",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream_tries -1;",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream_tries 1;\\nproxy_next_upstream_tries 2;",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream_timeout x;",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream;",
    })
    void sameErrorAsNginx(String http) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(http.replace("\\n", "\n")), Gateways.modules());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "upstream u {\\nserver 127.0.0.1:1 backup;\\nserver 127.0.0.2:1;\\nhash $arg_x;\\n}",
        "upstream u {\\nleast_conn;\\nserver 127.0.0.1:1 backup max_conns=3;\\nserver 127.0.0.2:1 weight=2;\\n}",
        "upstream u {\\nleast_conn;\\nip_hash;\\n" + S + "\\n}",
        "upstream u {\\nhash $arg_x consistent;\\nhash $uri;\\n" + S + "\\n}",
        "upstream u {\\nrandom two least_conn;\\n" + S + "\\n}",
        "upstream u {\\nrandom two;\\nzone z 64k;\\nzone y 64k;\\n" + S + "\\n}",
        "upstream u {\\nzone z 64k;\\n" + S + "\\n}\\nupstream v {\\nzone z;\\n" + S + "\\n}",
        "upstream u {\\nzone z;\\n" + S + "\\n}\\nupstream v {\\nzone z 1m;\\n" + S + "\\n}",
        "upstream u {\\nserver 127.0.0.1:1 down max_conns=0 max_fails=0 fail_timeout=1m;\\n}",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream error error timeout;",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream ERROR Http_502;\\nproxy_next_upstream http_502 off;",
        "upstream u {\\n" + S + "\\n}\\nproxy_next_upstream invalid_header http_500 http_503 http_504 http_403 "
            + "http_404 http_429 updating non_idempotent;\\nproxy_next_upstream_tries 0;\\n"
            + "proxy_next_upstream_timeout 0;",
    })
    void acceptedAsByNginx(String http) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf(http.replace("\\n", "\n")), Gateways.modules());
    }

    /** The upstream blocks and directives in {@code http}, one server proxying to {@code u}. */
    private static String conf(String http) {
        return "events { }\nhttp {\n" + http + "\nserver {\nlisten 127.0.0.1:1;\nlocation / {\nproxy_pass http://u;\n"
                + "}\n}\n}\n";
    }
}
