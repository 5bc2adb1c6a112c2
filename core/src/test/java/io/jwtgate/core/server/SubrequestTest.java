package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.moduletest.ProbeModule;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In-process subrequests over real sockets, made by {@link ProbeModule}: internal locations, no access phase, size
 * limit, nesting.
 */
class SubrequestTest {

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start("""
                http {
                    server {
                        listen 127.0.0.1:%d;
                        server_name warm.test;
                        location /keys { internal; probe_deny; return 200 "key-data $uri $arg_v"; }
                        location /big { internal; return 200 "0123456789"; }
                        location /nested { internal; probe /keys; return 200 "nested:$probe"; }
                        location /loop { internal; probe /loop; return 200 "loop:$probe"; }
                        location /a { probe /keys?v=1; return 200 "a:$probe"; }
                        location /b { probe /big 4; return 200 "b:$probe"; }
                        location /c { probe /missing; return 200 "c:$probe"; }
                        location /d { probe /nested; return 200 "d:$probe"; }
                        location /e { probe /loop; return 200 "e:$probe"; }
                        location /who { internal; return 200 "$remote_addr $scheme $uri $request_uri $http_host"; }
                        location /w { probe_warm_up /who; return 200 "w:$probe_warm_up"; }
                    }
                }
                """.formatted(TestGateway.freePort()), () -> {
                    List<HttpModule> m = new ArrayList<>();
                    m.add(new ProbeModule());
                    m.addAll(CoreModules.create());
                    return m;
                });
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void reachesInternalLocationsAndSkipsTheAccessPhase() {
        assertThat(RawHttpClient.get(gw.port(), "/a").bodyString())
                .isEqualTo("a:200|key-data /keys 1|true|text/plain");
        assertThat(RawHttpClient.get(gw.port(), "/keys").code()).isEqualTo(404);
    }

    /**
     * A warm-up's subrequest (docs/modules.md#warm-up) ran before the socket opened, on an event loop, with a
     * detached request as its parent: {@code GET /} from 127.0.0.1 with only {@code Host}, the server's first name.
     */
    @Test
    void warmUpRanADetachedSubrequestBeforeServing() {
        assertThat(RawHttpClient.get(gw.port(), "/w").bodyString())
                .matches("w:200\\|127\\.0\\.0\\.1 http /who / warm\\.test\\|test-worker-.*");
    }

    @Test
    void bodyOverTheLimitIsMarkedIncomplete() {
        assertThat(RawHttpClient.get(gw.port(), "/b").bodyString()).isEqualTo("b:200||false|text/plain");
    }

    @Test
    void unknownLocationIs404() {
        assertThat(RawHttpClient.get(gw.port(), "/c").bodyString()).startsWith("c:404|");
    }

    @Test
    void subrequestsNestAndLoopsStop() {
        assertThat(RawHttpClient.get(gw.port(), "/d").bodyString())
                .isEqualTo("d:200|nested:200|key-data /keys |true|text/plain|true|text/plain");
        assertThat(RawHttpClient.get(gw.port(), "/e").bodyString())
                .startsWith("e:200|loop:200|loop:200|loop:200|loop:500");
    }
}
