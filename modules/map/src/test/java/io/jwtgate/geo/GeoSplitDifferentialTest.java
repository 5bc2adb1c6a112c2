package io.jwtgate.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.splitclients.SplitClientsModule;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code geo} (networks, ranges, a source variable, {@code proxy} with {@code X-Forwarded-For}, {@code delete},
 * duplicates) and {@code split_clients} (nginx's MurmurHash2 shares) against stock nginx: the same values for the
 * same requests, and the same refusals and warnings for the same configurations.
 */
class GeoSplitDifferentialTest {

    static final String GEO = """
            geo $geo_client {
                default far;
                127.0.0.0/8 loopback;
                127.0.0.1 me;
                10.0.0.0/8 ten;
            }
            geo $arg_ip $geo_arg {
                default none;
                192.168.0.0/16 lan;
                192.168.1.0/24 office;
                192.168.1.7 desk;
                10.0.0.0/8 ten;
                delete 10.0.0.0/8;
                2001:db8::/32 docs6;
                2001:db8:1::/48 docs6-1;
                ::ffff:0:0/96 mapped6;
                255.255.255.255 broadcast;
            }
            geo $geo_proxied {
                proxy 127.0.0.1;
                proxy 10.0.0.0/8;
                default far;
                127.0.0.1 me;
                10.0.0.0/8 ten;
                203.0.113.0/24 doc;
            }
            geo $geo_recursive {
                proxy_recursive;
                proxy 127.0.0.1;
                proxy 10.0.0.0/8;
                default far;
                10.0.0.0/8 ten;
                203.0.113.0/24 doc;
            }
            geo $arg_ip $geo_range {
                ranges;
                default def;
                10.0.0.0-10.0.255.255 a;
                10.0.1.0-10.0.1.255 b;
                10.0.2.0-10.0.2.9 c;
                10.0.0.0-10.0.0.255 d;
                10.1.0.0-10.2.255.255 e;
                delete 10.2.0.0-10.2.255.255;
                10.3.0.0-10.3.255.255 f;
                10.3.0.0-10.3.255.255 g;
            }
            split_clients "${arg_u}AAA" $split {
                0.5% tiny;
                10% a;
                25.25% b;
                50% c;
                * rest;
            }
            split_clients "$arg_u" $split_short {
                33.3% x;
                33.3% y;
            }
            server {
                listen 127.0.0.1:@PORT@;
                location / {
                    return 200 "$geo_client|$geo_arg|$geo_proxied|$geo_recursive|$geo_range|$split|$split_short\\n";
                }
            }
            """;

    static SideBySide pair;

    @TempDir
    Path dir;

    static List<HttpModule> modules() {
        List<HttpModule> modules = new ArrayList<>(CoreModules.create());
        modules.add(new GeoModule());
        modules.add(new SplitClientsModule());
        return modules;
    }

    @BeforeAll
    static void start() throws Exception {
        pair = SideBySide.start(port -> GEO.replace("@PORT@", Integer.toString(port)),
                GeoSplitDifferentialTest::modules);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/", "/?ip=192.168.1.7", "/?ip=192.168.1.8", "/?ip=192.168.9.9", "/?ip=10.1.2.3", "/?ip=8.8.8.8",
        "/?ip=2001:db8::1", "/?ip=2001:db8:1::5", "/?ip=2001:db9::1", "/?ip=::ffff:192.168.1.7", "/?ip=::ffff:1.2.3.4",
        "/?ip=255.255.255.255", "/?ip=not-an-address", "/?ip=", "/?ip=1.2.3.4:80", "/?ip=[::1]",
        "/?ip=10.0.0.5", "/?ip=10.0.0.255", "/?ip=10.0.1.1", "/?ip=10.0.2.5", "/?ip=10.0.2.10", "/?ip=10.0.200.1",
        "/?ip=10.1.255.255", "/?ip=10.2.0.1", "/?ip=10.3.7.7", "/?ip=10.4.0.0",
        "/?u=alice", "/?u=bob", "/?u=carol", "/?u=dave", "/?u=", "/?u=%C3%A9t%C3%A9", "/?u=0123456789abcdef",
        "/?u=1", "/?u=12", "/?u=123", "/?u=1234", "/?u=12345",
    })
    void sameValuesAsNginx(String uri) {
        assertSame(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "X-Forwarded-For: 203.0.113.9",
        "X-Forwarded-For: 203.0.113.9, 10.1.1.1",
        "X-Forwarded-For: 198.51.100.1, 10.1.1.1",
        "X-Forwarded-For: garbage",
        "X-Forwarded-For: 10.2.2.2",
        "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 10.3.3.3",
    })
    void proxiesAsNginx(String header) {
        assertSame("/?u=z", header);
    }

    @Test
    void manyUsersSplitAsNginx() {
        for (int i = 0; i < 200; i++) {
            assertSame("/?u=user" + i);
        }
    }

    private static void assertSame(String uri, String... headers) {
        String nginx = RawHttpClient.get(pair.nginxPort(), uri, headers).bodyString();
        String gateway = RawHttpClient.get(pair.gatewayPort(), uri, headers).bodyString();
        assertThat(gateway).as(uri + " " + String.join(" ", headers)).isEqualTo(nginx);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "geo $a { 10.0.0.1 ; }",
        "geo $a { a b c; }",
        "geo $a { 10.0.0.0/33 x; }",
        "geo $a { 10.0.0.0/8 x {} }",
        "geo $a { default 1; ranges; }",
        "geo $a { ranges; 10.0.0.1-10.0.0.0 x; }",
        "geo $a { ranges; 10.0.0.1 x; }",
        "geo $a { ranges; 10.0.0.1-255.255.255.255 x; }",
        "geo $a { ranges; 10.0.0.0-10.0.0.9 x; 10.0.0.5-10.0.0.20 y; }",
        "geo $a { ranges; 10.0.0.0-10.1.0.9 x; 10.1.0.5-10.1.0.20 y; }",
        "geo $a { proxy 10.0.0.0/40; }",
        "geo x { }",
        "geo $remote_addr x { }",
        "split_clients $remote_addr $b { 50% a; 60% b; }",
        "split_clients $remote_addr $b { 0.5% a; 1.234% b; }",
        "split_clients $remote_addr $b { 0% a; }",
        "split_clients $remote_addr $b { x a; }",
        "split_clients $remote_addr $b { 50 a; }",
        "split_clients $remote_addr b { * a; }",
        "split_clients $remote_addr $b { 50% a { } }",
        "server { geo $a { } }",
    })
    void refusedAsByNginx(String http) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\n" + http + "\n}\n",
                GeoSplitDifferentialTest::modules);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "geo $a { default 1; default 2; }",
        "geo $a { 10.0.0.0/8 x; 10.0.0.0/8 y; delete 11.0.0.0/8; 10.0.0.1/8 z; }",
        "geo $a { proxy 10.0.0.1/8; }",
        "geo $a { ranges; default 1; default 2; delete 1.0.0.0-1.0.0.1; 1.0.0.0-1.0.0.9 a; 1.0.0.0-1.0.0.9 b; }",
        "geo $a { ranges; 1.0.0.0-1.1.0.9 a; delete 1.0.0.0-1.0.255.255; delete 1.1.0.0-1.1.0.9; }",
    })
    void warnsAsNginx(String http) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, "events { }\nhttp {\n" + http + "\n}\n",
                GeoSplitDifferentialTest::modules);
    }

    /** nginx names an unknown variable only once everything is read, without a place; jwtgate gives the place. */
    @ParameterizedTest
    @ValueSource(strings = {"geo $nosuch $x { }", "split_clients $nosuch $b { * a; }"})
    void unknownSourceVariableWithItsPlace(String http) throws Exception {
        assertThat(TestGateway.configError(dir, "events { }\nhttp {\n" + http + "\n}\n",
                GeoSplitDifferentialTest::modules))
                .hasMessage("unknown \"nosuch\" variable in " + dir.resolve("nginx.conf") + ":3");
    }
}
