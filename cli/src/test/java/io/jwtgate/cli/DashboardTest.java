package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jwtgate.metrics.TextExposition;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (deploy/grafana/jwtgate.json) queries only metrics a running gateway exposes: every metric
 * name in every panel's expressions is a family of the exposition of a gateway process with a JWT location, a key
 * source, the token cache, an upstream and a cache zone (docs/operations.md#metrics).
 */
class DashboardTest extends GatewayProcessFixture {

    private static final Pattern METRIC = Pattern.compile("\\b(?:jwtgate|jvm|process)_[a-z0-9_]+\\b");

    @Test
    void everyQueriedMetricExists() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("../deploy/grafana/jwtgate.json").toFile());
        TreeSet<String> queried = new TreeSet<>();
        List<String> panelsWithoutMetric = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            boolean any = false;
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                    any = true;
                }
            }
            if (!any) {
                panelsWithoutMetric.add(panel.get("title").asText());
            }
        }
        assertThat(panelsWithoutMetric).isEmpty();
        assertThat(queried).hasSizeGreaterThan(15);

        int port = TestGateway.freePort();
        // a cache zone and an upstream, so that their families have series
        writeConf(config(port, """
                location /metrics { metrics; }
                location /jwks { internal; return 200 '{"keys":[]}'; }
                location /api { jwt_key_request /jwks; }
                location /up { proxy_pass http://127.0.0.1:%d; }
                """.formatted(TestGateway.freePort())).replace("http {", "http {\n    proxy_cache_path "
                + dir.resolve("cache") + " keys_zone=dash:1m;"));
        try (ChildProcess gw = startGateway(port)) {
            assertThat(RawHttpClient.get(port, "/api").code()).isEqualTo(401);
            TextExposition e = TextExposition.parse(RawHttpClient.get(port, "/metrics").bodyString(), false);
            List<String> missing = new ArrayList<>();
            for (String name : queried) {
                if (!exists(name, e)) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("queried by the dashboard, not exposed").isEmpty();
        }
    }

    /** A family, or a histogram's or summary's {@code _bucket}, {@code _sum}, {@code _count}. */
    private static boolean exists(String name, TextExposition e) {
        Map<String, String> types = e.types();
        if (types.containsKey(name)) {
            return true;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                String type = types.get(name.substring(0, name.length() - suffix.length()));
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return true;
                }
            }
        }
        return false;
    }
}
