package io.jwtgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-time checks of {@code jwt_key_request} (what {@code -t} reports): a constant URI that reaches no location is
 * an error at the directive; a target that proxies without a cache is a warning with the fix.
 */
class KeyRequestChecksTest {

    @TempDir
    Path dir;

    static Supplier<List<HttpModule>> modules() {
        Fixtures.TestClock clock = new Fixtures.TestClock();
        return () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.addAll(ProxyModules.create(clock));
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            return l;
        };
    }

    /** The server block's body starts on line 5 of nginx.conf. */
    String conf(String server) {
        return "events { }\nhttp {\n  proxy_cache_path " + dir.resolve("cache") + " keys_zone=keys:1m;\n  server {\n"
                + server + "\n  }\n}\n";
    }

    String file() {
        return dir.resolve("nginx.conf").toString();
    }

    @Test
    void constantUriThatReachesNoLocationIsAnErrorAtTheDirective() throws Exception {
        ConfException e = TestGateway.configError(dir, conf("""
                location = /api {
                    jwt_key_request /jwks;
                    echo "";
                }
                location /keys/ { internal; echo '{"keys":[]}'; }"""), modules());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(
                "no location of the server matches \"/jwks\" in \"jwt_key_request\" directive in " + file() + ":6");
        // a location that would only redirect to "/keys/" does not count either
        ConfException redirect = TestGateway.configError(dir, conf("""
                location = /api { jwt_key_request /keys; echo ""; }
                location /keys/ { internal; proxy_pass http://127.0.0.1:1; }"""), modules());
        assertThat(redirect).isNotNull();
        assertThat(redirect.getMessage()).isEqualTo(
                "no location of the server matches \"/keys\" in \"jwt_key_request\" directive in " + file() + ":5");
    }

    @Test
    void variableUrisAreEvaluatedPerRequestAndNotChecked() throws Exception {
        assertThat(TestGateway.configError(dir, conf("""
                location = /api { jwt_key_request $arg_keys; echo ""; }"""), modules())).isNull();
    }

    @Test
    void aTargetWithoutCacheIsAWarningWithTheFix() throws Exception {
        try (TestGateway gw = TestGateway.start(dir, conf("""
                jwt_key_request /keys/plain;
                location /keys/plain { internal; proxy_pass http://127.0.0.1:1; }
                location /keys/cached { internal; proxy_pass http://127.0.0.1:1; proxy_cache keys; }
                location /keys/static { internal; echo '{"keys":[]}'; }
                location /a { echo ""; }
                location /b { echo ""; }
                location /c { jwt_key_request /keys/cached; jwt_key_request /keys/static; echo ""; }
                location /d { jwt_secret off; jwt_validate_sig off; echo ""; }"""), modules())) {
            assertThat(gw.config().warnings()).containsExactly("\"jwt_key_request /keys/plain\" reaches location "
                    + "\"/keys/plain\", which proxies without a cache: keys will be fetched from the identity provider "
                    + "on every request; add \"proxy_cache <zone>;\" and \"proxy_cache_valid 200 5m;\" to that location"
                    + " in " + file() + ":5");
        }
    }
}
