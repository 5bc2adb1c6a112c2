package io.jwtgate.limitconn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.limits.LimitKey;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The counts of a zone: one for every event loop, never above the limit, never below zero, and every entry's room
 * given back when its last slot is.
 */
class ConnZoneTest {

    private static ConnZone zone(long size) {
        return new ConnZone("z", new LimitKey(ComplexValue.constant("k"), LimitConnModule.MAX_KEY_BYTES), size);
    }

    @Test
    void aSlotNotTakenCannotBeGivenBack() {
        ConnZone z = zone(32 * 1024);
        assertThat(z.acquire("a", 1)).isEqualTo(ConnZone.Acquired.TAKEN);
        z.release("a");
        assertThatThrownBy(() -> z.release("a")).isInstanceOf(IllegalStateException.class)
                .hasMessage("limit_conn zone \"z\" gives back a slot it did not count");
        assertThat(z.acquire("a", 1)).isEqualTo(ConnZone.Acquired.TAKEN);
        assertThat(z.acquire("a", 1)).isEqualTo(ConnZone.Acquired.LIMITED);
    }

    @Test
    void threadsNeverHoldMoreThanTheLimitAndGiveEveryEntryBack() throws Exception {
        ConnZone z = zone(32 * 1024);
        int keys = 50;
        int limit = 3;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            names.add("key-" + i + "-" + "x".repeat(200)); // 256-byte slots: the zone holds 80, fewer than asked
        }
        AtomicIntegerArray holding = new AtomicIntegerArray(keys);
        AtomicIntegerArray over = new AtomicIntegerArray(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            done.add(threads.submit(() -> {
                go.await();
                List<Integer> held = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    int k = (i * 31 + seed * 7) % keys;
                    if (z.acquire(names.get(k), limit) == ConnZone.Acquired.TAKEN) {
                        if (holding.incrementAndGet(k) > limit) {
                            over.incrementAndGet(0);
                        }
                        held.add(k);
                    }
                    if (held.size() > 5 || (i % 3 == 0 && !held.isEmpty())) {
                        int r = held.remove(0);
                        holding.decrementAndGet(r);
                        z.release(names.get(r));
                    }
                }
                for (int r : held) {
                    holding.decrementAndGet(r);
                    z.release(names.get(r));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertThat(over.get(0)).as("times a key was held over its limit").isZero();
        // all room is back: as many new entries of 286 bytes fit as in an empty zone of 32k
        int fits = 0;
        while (z.acquire("again-" + fits + "-" + "y".repeat(240), 1) == ConnZone.Acquired.TAKEN) {
            fits++;
        }
        assertThat(fits).isEqualTo(40);
    }

    @Test
    void everyEventLoopCountsInTheSameZone() throws Exception {
        try (GateBackend backend = GateBackend.start(); TestGateway gateway = TestGateway.start("""
                worker_processes 2;
                events { }
                http {
                    limit_conn_zone $http_x_key zone=k:1m;
                    server {
                        listen 127.0.0.1:%d;
                        location / { limit_conn k 2; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(TestGateway.freePort(), backend.port()), LimitConnDifferentialTest::modules)) {
            // connections go to the two event loops in turn: one held on each, the third (on the first) is refused,
            // and so is a fourth on the second
            RawHttpClient first = Requests.send(gateway.port(), "/held/1", "X-Key: a");
            RawHttpClient second = Requests.send(gateway.port(), "/held/2", "X-Key: a");
            backend.awaitHeld(2);
            assertThat(Requests.get(gateway.port(), "/held/3", "X-Key: a")).startsWith("503");
            assertThat(Requests.get(gateway.port(), "/held/4", "X-Key: a")).startsWith("503");
            backend.release();
            assertThat(Requests.read(first)).isEqualTo("200 [null] held-1");
            assertThat(Requests.read(second)).isEqualTo("200 [null] held-2");
            assertThat(Requests.get(gateway.port(), "/quick", "X-Key: a")).isEqualTo("200 [null] ok");
        }
    }
}
