package io.jwtgate.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.SubrequestResult;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.Variables;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** In-process subrequests over real sockets: internal locations, no access phase, size limit, nesting. */
class SubrequestTest {

    /**
     * Test module: {@code probe <uri> [maxBody];} runs a subrequest in the access phase and exposes
     * {@code $probe} = {@code status|body|complete|type} (preaccess, so it runs in subrequests too); {@code probe_deny}
     * denies in the access phase, which subrequests skip.
     */
    static final class ProbeModule extends HttpModule {
        record Probe(String uri, int max) {
        }

        static final class Draft {
            Probe probe;
            boolean deny;
        }

        record Conf(Probe probe, boolean deny) {
        }

        final LocSlot<Draft, Conf> slot = locSlot(LocSlot.mergedAtEveryLevel(Draft::new,
                (p, d) -> new Conf(d.probe, d.deny)));

        final RequestSlot<SubrequestResult> result = requestSlot();

        ProbeModule() {
            super("probe");
        }

        @Override
        public List<Directive> directives() {
            return List.of(
                    Directive.of("probe", Directive.httpServerLocation(), Arity.TAKE12, (cx, d) ->
                            cx.loc(slot).probe = new Probe(d.arg(0),
                                    d.args().size() > 1 ? Integer.parseInt(d.arg(1)) : 1 << 20)),
                    Directive.of("probe_deny", Directive.httpServerLocation(), Arity.NONE, (cx, d) ->
                            cx.loc(slot).deny = true));
        }

        @Override
        public void preconfiguration(Variables v) {
            v.define("probe", (x, d) -> {
                SubrequestResult r = x.get(result);
                return r == null ? "none" : r.status() + "|" + new String(r.body(), StandardCharsets.UTF_8) + "|"
                        + r.complete() + "|" + r.header("content-type");
            }, null, 0);
        }

        @Override
        public void postconfiguration(HttpInit init) {
            // in the rewrite phase, ahead of the rewrite module's (registered after this module): return reads $probe
            init.addHandler(Phase.REWRITE, this::probe);
            init.addHandler(Phase.ACCESS, x -> x.conf(slot).deny() ? 403 : PhaseHandler.DECLINED);
        }

        private int probe(HttpExchange x) {
            Conf c = x.conf(slot);
            if (c.probe() == null) {
                return PhaseHandler.DECLINED;
            }
            List<String> order = new ArrayList<>();
            x.subrequest(c.probe().uri(), c.probe().max(), sub -> order.add("prepared"), r -> {
                x.set(result, r);
                order.add("done");
                x.resume(PhaseHandler.DECLINED);
            });
            return PhaseHandler.ASYNC;
        }
    }

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start("""
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location /keys { internal; probe_deny; return 200 "key-data $uri $arg_v"; }
                        location /big { internal; return 200 "0123456789"; }
                        location /nested { internal; probe /keys; return 200 "nested:$probe"; }
                        location /loop { internal; probe /loop; return 200 "loop:$probe"; }
                        location /a { probe /keys?v=1; return 200 "a:$probe"; }
                        location /b { probe /big 4; return 200 "b:$probe"; }
                        location /c { probe /missing; return 200 "c:$probe"; }
                        location /d { probe /nested; return 200 "d:$probe"; }
                        location /e { probe /loop; return 200 "e:$probe"; }
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
