package io.jwtgate.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheZoneTest {

    @TempDir
    Path tmp;

    @Test
    void stopFinishesTheFilesStillQueued() throws Exception {
        CacheZone zone = new CacheZone("z", tmp, new int[] {1, 2}, 1024 * 1024, 600_000, 0, InstantSource.system());
        // hold both of the zone's I/O threads: a read hands its result to the "event loop" from the I/O thread,
        // and this one does not take it until released
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(2);
        Executor slowLoop = task -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            task.run();
        };
        zone.readFromDisk("a".repeat(32), slowLoop, e -> { });
        zone.readFromDisk("b".repeat(32), slowLoop, e -> { });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
        // responses stored meanwhile: their files wait in the I/O queue
        int n = 8;
        for (int i = 0; i < n; i++) {
            CacheEntry e = new CacheEntry("k" + i, HttpResponseStatus.OK, List.of(), null, 0, Long.MAX_VALUE, 0,
                    false, CacheEntry.StaleWindows.NONE);
            zone.store(String.format("%032x", i + 1), e, new byte[100], () -> { });
        }
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            release.countDown();
        });
        releaser.start();
        zone.stop();
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.filter(Files::isRegularFile).toList()).hasSize(n);
        } finally {
            release.countDown();
            releaser.join();
        }
    }

    @Test
    void indexingRemovesFilesThatAreNotWholeEntries() throws Exception {
        int[] levels = {1, 2};
        CacheEntry kept = new CacheEntry("kept", HttpResponseStatus.FOUND, List.of(), null, 0, Long.MAX_VALUE, 0,
                false, CacheEntry.StaleWindows.NONE);
        Path good = EntryFile.path(tmp, levels, EntryFile.hash("kept"));
        EntryFile.write(good, EntryFile.encode(kept, new byte[10]));
        // the format before reason phrases were kept ("JGC1"), and a file cut short
        Path old = EntryFile.path(tmp, levels, EntryFile.hash("old"));
        EntryFile.write(old, new byte[] {0x4a, 0x47, 0x43, 0x31, 0, 3, 'o', 'l', 'd'});
        Path cut = EntryFile.path(tmp, levels, EntryFile.hash("cut"));
        byte[] whole = EntryFile.encode(new CacheEntry("cut", HttpResponseStatus.OK, List.of(), null, 0,
                Long.MAX_VALUE, 0, false, CacheEntry.StaleWindows.NONE), new byte[10]);
        EntryFile.write(cut, Arrays.copyOf(whole, whole.length / 2));
        CacheZone zone = new CacheZone("z", tmp, levels, 1024 * 1024, 600_000, 0, InstantSource.system());
        zone.start();
        zone.stop(); // waits for the indexing queued by start()
        assertThat(zone.loaded()).isTrue();
        assertThat(good).exists();
        assertThat(zone.get(EntryFile.hash("kept"))).isNotNull();
        assertThat(old).doesNotExist();
        assertThat(cut).doesNotExist();
        assertThat(EntryFile.read(good, true).status()).isEqualTo(HttpResponseStatus.FOUND);
        assertThat(EntryFile.read(good, true).status().reasonPhrase()).isEqualTo("Found");
    }

    @Test
    void anEntryFileKeepsWhetherItIsAHeadOnlyAndItsStaleWindows() throws Exception {
        CacheEntry head = new CacheEntry("head", HttpResponseStatus.OK, List.<String[]>of(new String[] {
            "Content-Length", "19"}), null, 0, 1234, 0, true, new CacheEntry.StaleWindows(60_000, 5_000));
        Path f = tmp.resolve(EntryFile.hash("head"));
        EntryFile.write(f, EntryFile.encode(head, new byte[0]));
        CacheEntry read = EntryFile.read(f, true);
        assertThat(read.headOnly()).isTrue();
        assertThat(read.stale()).isEqualTo(new CacheEntry.StaleWindows(60_000, 5_000));
        assertThat(read.header("content-length")).isEqualTo("19");
        assertThat(read.staleWhileUpdating(1234 + 60_000)).isTrue();
        assertThat(read.staleWhileUpdating(1234 + 60_001)).isFalse();
        assertThat(read.staleOnError(1234 + 5_000)).isTrue();
        assertThat(read.staleOnError(1234 + 5_001)).isFalse();
    }
}
