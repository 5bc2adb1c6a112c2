package io.jwtgate.bench;

import io.jwtgate.core.http.route.LocationMatch;
import io.jwtgate.core.http.route.LocationSpec;
import io.jwtgate.core.http.route.LocationSpec.Kind;
import io.jwtgate.core.http.route.LocationTree;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * nginx's location search ({@link LocationTree#match}) in a server with {@code locations} prefix locations (half of
 * them with two nested ones), a few exact ones and three regexes at the end, for URIs that end on each kind of
 * decision. Nanoseconds per match.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LocationTreeBenchmark {

    @Param({"10", "1000"})
    public int locations;

    /** prefix: the longest prefix wins after the regexes fail; nested: inside a prefix; exact; regex; none. */
    @Param({"prefix", "nested", "exact", "regex", "none"})
    public String outcome;

    private LocationTree<String> tree;
    private String uri;

    @Setup
    public void setup() {
        List<LocationSpec<String>> specs = new ArrayList<>();
        for (int i = 0; i < locations; i++) {
            String p = "/api/v1/service" + i + "/";
            List<LocationSpec<String>> children = i % 2 == 0
                    ? List.of(LocationSpec.of(Kind.PREFIX, p + "admin/", p + "admin/"),
                            LocationSpec.of(Kind.PREFIX_NOREGEX, p + "static/", p + "static/"))
                    : List.of();
            specs.add(new LocationSpec<>(Kind.PREFIX, p, p, false, children));
            if (i % 10 == 0) {
                specs.add(LocationSpec.of(Kind.EXACT, "/exact" + i, "/exact" + i));
            }
        }
        specs.add(LocationSpec.of(Kind.PREFIX, "/", "/"));
        specs.add(LocationSpec.of(Kind.REGEX, "\\.php$", "php"));
        specs.add(LocationSpec.of(Kind.REGEX_CASELESS, "\\.(gif|jpe?g|png)$", "images"));
        specs.add(LocationSpec.of(Kind.REGEX, "^/download/(.+)/(.+)$", "download"));
        tree = LocationTree.build(specs);
        int mid = locations / 2 / 2 * 2; // an even service: it has nested locations
        uri = switch (outcome) {
            case "prefix" -> "/api/v1/service" + mid + "/users/42/orders";
            case "nested" -> "/api/v1/service" + mid + "/admin/users/42";
            case "exact" -> "/exact0";
            case "regex" -> "/api/v1/service" + mid + "/logo.PNG";
            case "none" -> "/nothing/here";
            default -> throw new IllegalArgumentException(outcome);
        };
        if (!match().isMatched()) {
            throw new IllegalStateException("no location for " + uri);
        }
    }

    @Benchmark
    public LocationMatch<String> match() {
        return tree.match(uri);
    }
}
