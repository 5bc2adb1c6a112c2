package io.jwtgate.proxy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.jwtgate.core.module.HttpInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code proxy_cache_path}: entries as files under {@link #dir}, an in-memory index of them (Caffeine, bounded
 * by the {@code keys_zone} size and {@code max_size}, entries dropped after {@code inactive} without access, the
 * file deleted with them), the fills in flight, and a small executor that does every file operation, so that no
 * event loop ever blocks on the disk. At start the files already on disk are indexed on that executor; until that is
 * done a miss in the index looks at the disk.
 *
 * <p>Thread-safe: requests of every event loop share one zone.
 */
final class CacheZone implements HttpInit.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.cache");

    /** nginx stores about 8000 keys per megabyte of {@code keys_zone}. */
    static final long KEYS_PER_MIB = 8000;
    /** Bodies up to this size stay in memory too, so that a hit costs no disk read (key documents are small). */
    static final int MEMORY_BODY_LIMIT = 64 * 1024;
    private static final long STOP_WAIT_SECONDS = 5;

    final String name;
    final Path dir;
    final int[] levels;
    final long maxKeys;
    final long inactiveMs;
    final long maxSize;
    final InstantSource clock;
    private final Cache<String, CacheEntry> index;
    private final ConcurrentMap<String, Fill> fills = new ConcurrentHashMap<>();
    /**
     * {@code proxy_cache_min_uses}: how often each key without an entry was asked for (nginx counts them in the
     * zone's node), forgotten after {@code inactive} without a request, as the node is.
     */
    private final Cache<String, AtomicInteger> uses;
    private final ThreadPoolExecutor io;
    private volatile boolean loaded;
    /** The zone's series; set once the configuration is read. */
    CacheMetrics metrics;

    CacheZone(String name, Path dir, int[] levels, long zoneBytes, long inactiveMs, long maxSize,
            InstantSource clock) {
        this.name = name;
        this.dir = dir;
        this.levels = levels;
        this.maxKeys = Math.max(1, zoneBytes * KEYS_PER_MIB / (1024 * 1024));
        this.inactiveMs = inactiveMs;
        this.maxSize = maxSize;
        this.clock = clock;
        this.io = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "jwtgate-cache-" + name);
            t.setDaemon(true);
            return t;
        });
        io.allowCoreThreadTimeOut(true);
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        Caffeine<String, CacheEntry> b = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterAccess(Duration.ofMillis(Math.max(1, inactiveMs)))
                .removalListener(this::removed);
        if (maxSize > 0) {
            // one weight bounds both: the bytes on disk (max_size) and, through the minimum, the number of keys
            long floor = Math.max(1, maxSize / maxKeys);
            b.maximumWeight(maxSize)
                    .weigher((String k, CacheEntry e) ->
                            (int) Math.min(Integer.MAX_VALUE, Math.max(floor, e.fileSize())));
        } else {
            b.maximumSize(maxKeys);
        }
        this.index = b.build();
        this.uses = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(Duration.ofMillis(Math.max(1, inactiveMs)))
                .maximumSize(maxKeys).build();
    }

    // ---- lifecycle

    @Override
    public void start() {
        io.execute(this::loadIndex);
    }

    /** Finishes the file operations already queued (a response being stored is written whole), then stops. */
    @Override
    public void stop() {
        io.shutdown();
        try {
            if (!io.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("cache \"{}\": file operations still running after {} s at stop", name, STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** nginx's cache loader: indexes the files found on disk; runs on the I/O executor. */
    private void loadIndex() {
        int n = 0;
        try (Stream<Path> files = Files.walk(dir, levels.length + 1)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                if (file.contains(".tmp")) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (file.length() != 32 || !Files.isRegularFile(f)) {
                    continue;
                }
                CacheEntry e = EntryFile.read(f, false);
                if (e == null || !EntryFile.hash(e.key()).equals(file)) {
                    // not a whole entry of this format (cut short, or written by an older jwtgate): nothing would
                    // ever read or evict it
                    Files.deleteIfExists(f);
                    continue;
                }
                index.asMap().putIfAbsent(file, e);
                n++;
            }
        } catch (IOException | RuntimeException e) {
            log.error("cache \"{}\": indexing {} failed: {}", name, dir, e.toString());
        }
        loaded = true;
        log.debug("cache \"{}\": {} entries indexed from {}", name, n, dir);
    }

    // ---- the index

    /** The indexed entry of {@code hash}, or {@code null}; counts as an access. */
    CacheEntry get(String hash) {
        return index.getIfPresent(hash);
    }

    /** Whether {@link #get} returning {@code null} means "not cached" rather than "not indexed yet". */
    boolean loaded() {
        return loaded;
    }

    /** The entries indexed, read at a scrape. */
    long entries() {
        return index.estimatedSize();
    }

    /** The bytes of the indexed entries' files, summed at a scrape. */
    long bytes() {
        long n = 0;
        for (CacheEntry e : index.asMap().values()) {
            n += e.fileSize();
        }
        return n;
    }

    long weightedSize() {
        return index.policy().eviction().map(e -> e.weightedSize().orElse(index.estimatedSize()))
                .orElse(index.estimatedSize());
    }

    private void removed(String hash, CacheEntry e, RemovalCause cause) {
        if (hash == null || !cause.wasEvicted()) {
            return; // replaced: the new entry has written the same file
        }
        Path f = EntryFile.path(dir, levels, hash);
        try {
            io.execute(() -> {
                if (index.getIfPresent(hash) != null) {
                    return; // stored again meanwhile
                }
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ex) {
                    log.warn("cache \"{}\": cannot delete {}: {}", name, f, ex.toString());
                }
            });
        } catch (RejectedExecutionException ex) {
            // stopped: the file stays, and the next start indexes it again
        }
    }

    // ---- files, always on the I/O executor; results on the caller's loop

    /** Reads the entry of {@code hash} from disk (index not loaded yet), indexes it, and hands it over, or null. */
    void readFromDisk(String hash, Executor loop, Consumer<CacheEntry> done) {
        submit(loop, done, () -> {
            Path f = EntryFile.path(dir, levels, hash);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            CacheEntry e = EntryFile.read(f, true);
            if (e == null) {
                return null;
            }
            CacheEntry kept = e.bodyLength() <= MEMORY_BODY_LIMIT ? e : e.withoutBody();
            index.asMap().putIfAbsent(hash, kept);
            return e;
        });
    }

    /** Reads the body of an indexed entry; hands over the entry with its body, or {@code null} if the file is gone. */
    void readBody(String hash, CacheEntry indexed, Executor loop, Consumer<CacheEntry> done) {
        submit(loop, done, () -> {
            CacheEntry e = EntryFile.read(EntryFile.path(dir, levels, hash), true);
            if (e == null || !e.key().equals(indexed.key()) || e.validUntil() != indexed.validUntil()) {
                return null;
            }
            if (e.bodyLength() <= MEMORY_BODY_LIMIT) {
                index.asMap().replace(hash, indexed, e);
            }
            return e;
        });
    }

    /**
     * Indexes an entry and writes its file, then runs {@code done}. An entry small enough to be kept in memory is
     * indexed at once (the next request is a hit even before the file is written) and {@code done} runs on the
     * caller's thread; a bigger one is indexed once its file is written, and {@code done} runs on the I/O thread.
     */
    void store(String hash, CacheEntry e, byte[] body, Runnable done) {
        byte[] content = EntryFile.encode(e, body);
        boolean inMemory = body.length <= MEMORY_BODY_LIMIT;
        CacheEntry stored = new CacheEntry(e.key(), e.status(), e.headers(), inMemory ? body : null, body.length,
                e.validUntil(), content.length, e.headOnly(), e.stale());
        if (inMemory) {
            index.put(hash, stored);
            done.run();
        }
        Runnable task = () -> {
            try {
                EntryFile.write(EntryFile.path(dir, levels, hash), content);
                if (!inMemory) {
                    index.put(hash, stored);
                }
            } catch (IOException | RuntimeException ex) {
                log.error("cache \"{}\": cannot store {}: {}", name, hash, ex.toString());
            } finally {
                if (!inMemory) {
                    done.run();
                }
            }
        };
        try {
            io.execute(task);
        } catch (RejectedExecutionException ex) {
            if (!inMemory) {
                done.run();
            }
        }
    }

    private interface Io<T> {
        T call() throws Exception;
    }

    private <T> void submit(Executor loop, Consumer<T> done, Io<T> work) {
        try {
            io.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    log.error("cache \"{}\": {}", name, e.toString());
                    result = null;
                }
                T r = result;
                loop.execute(() -> done.accept(r));
            });
        } catch (RejectedExecutionException e) {
            loop.execute(() -> done.accept(null));
        }
    }

    /** Counts a request for {@code hash}, which has no entry; returns how many there have been. */
    int use(String hash) {
        return uses.get(hash, h -> new AtomicInteger()).incrementAndGet();
    }

    // ---- fills in flight

    /** The fill in flight for {@code hash}, or {@code null}. */
    Fill fill(String hash) {
        return fills.get(hash);
    }

    /**
     * Registers a new fill for {@code hash}, holding the lock for {@code lockAgeMs}; returns {@code null} when another
     * fill in flight still holds it. A fill whose lock age has passed is replaced: it goes on and may still store its
     * response, but no longer holds anyone back.
     */
    Fill startFill(String hash, long lockAgeMs) {
        Fill mine = new Fill(this, hash, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockAgeMs));
        return fills.merge(hash, mine, (current, m) -> current.locks() ? current : m) == mine ? mine : null;
    }

    void endFill(String hash, Fill f) {
        fills.remove(hash, f);
    }
}
