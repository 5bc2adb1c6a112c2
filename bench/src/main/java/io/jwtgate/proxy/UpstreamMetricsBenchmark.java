package io.jwtgate.proxy;

import io.jwtgate.core.module.MetricRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the upstream metrics cost a proxied request (docs/operations.md#what-counting-costs): the series of the
 * picked server found by its name, the try counted, then its response class and its time observed, as
 * {@link PeerConnector} and {@link UpstreamStates} do for one try. Run with {@code -t 2} to see two event loops
 * counting the same series at once; {@code -prof gc} shows that nothing is allocated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UpstreamMetricsBenchmark {

    private UpstreamGroup group;
    private Peer peer;
    private long millis;

    @Setup
    public void setup() throws UnknownHostException {
        Peer[] peers = new Peer[4];
        for (int i = 0; i < peers.length; i++) {
            InetAddress a = InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) (i + 1)});
            peers[i] = Peer.of(new InetSocketAddress(a, 8080), "10.0.0." + (i + 1) + ":8080", ServerParams.DEFAULT);
        }
        peer = peers[2];
        group = new UpstreamGroup("backend", peers, new Peer[0], Balancing.ROUND_ROBIN, false, 0, 0, 0,
                UpstreamGroup::millis);
        new UpstreamMetrics(new MetricRegistry().newLoad()).measure(group);
    }

    @Benchmark
    public void oneTry() {
        UpstreamMetrics.Server s = group.metrics.of(peer);
        s.tried();
        // a time that moves through the buckets, as real ones do
        millis = (millis + 7) & 16_383;
        s.ended(200, millis);
    }

    @Benchmark
    public void nothing() {
    }
}
