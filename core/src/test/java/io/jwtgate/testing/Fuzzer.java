package io.jwtgate.testing;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/**
 * A small fuzzer for the parsers that read untrusted bytes (docs/fuzzing.md). A target runs its committed seeds
 * ({@code src/test/resources/fuzz/<target>/}, kept as regression inputs) and then generated inputs and inputs mutated
 * from its corpus. Each input runs on a worker thread under a time limit and an allocation limit; the target asserts
 * the parser's contract and names the outcome, and a mutated input with an outcome not seen before joins the corpus,
 * so the search spreads over the parser's answers. A failure is shrunk, saved under {@code target/fuzz-failures/},
 * and reported with the seed that reproduces the run ({@code -Djwtgate.fuzz.seed=...}). A build uses a fixed seed per
 * target; {@code -Djwtgate.fuzz.seed=random} explores.
 */
public final class Fuzzer {

    /**
     * The budget of each target in a build, the one place it is set: after its seeds, a target runs this many inputs
     * or for {@link #DEFAULT_SECONDS}, whichever ends first. {@code -Djwtgate.fuzz.tries=N} runs N inputs,
     * {@code -Djwtgate.fuzz.seconds=S} runs for S seconds; given alone, either lifts the other bound.
     */
    public static final int DEFAULT_TRIES = 20_000;

    /** The time bound of each target in a build: ten targets stay under three minutes. */
    public static final int DEFAULT_SECONDS = 15;

    private static final int MAX_CORPUS = 2000;
    private static final int SHRINK_RUNS = 300;
    private static final long WARM_UP_LIMIT_MS = 60_000;
    private static final byte[] SPECIAL = {0, 1, '\t', '\n', '\r', ' ', '"', '\'', '\\', '.', ',', ':', ';', '{', '}',
        '[', ']', '-', '0', '9', 'a', 'Z', '=', '$', '#', 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff};

    private final String name;
    private final List<byte[]> seeds;
    private final List<byte[]> dictionary = new ArrayList<>();
    private BiFunction<Fuzzer, Random, byte[]> generator;
    private Duration timeLimit = Duration.ofSeconds(2);
    private LongUnaryOperator allocationLimit = length -> 32L * 1024 * 1024 + 64 * length;
    private int maxLength = 64 * 1024;

    /** What a target does with one input. */
    @FunctionalInterface
    public interface Target {
        /**
         * Runs the parser on {@code input} and checks its contract, throwing when it is broken.
         *
         * @return the outcome, coarse (a result kind, an error message without positions): a new one keeps the input
         */
        String run(byte[] input) throws Exception;
    }

    private Fuzzer(String name, List<byte[]> seeds) {
        this.name = name;
        this.seeds = seeds;
        this.generator = (f, r) -> f.fromDictionary(r, 1 + r.nextInt(24));
    }

    /** The target {@code name}, its seeds read from {@code fuzz/<name>/} on {@code owner}'s class path. */
    public static Fuzzer target(Class<?> owner, String name) {
        URL dir = owner.getResource("/fuzz/" + name);
        if (dir == null) {
            throw new IllegalStateException("no seed corpus fuzz/" + name + " on the class path");
        }
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (seeds.isEmpty()) {
            throw new IllegalStateException("empty seed corpus fuzz/" + name);
        }
        return new Fuzzer(name, seeds);
    }

    /** Pieces of the format that mutations insert and the default generator strings together. */
    public Fuzzer dictionary(String... tokens) {
        for (String t : tokens) {
            dictionary.add(t.getBytes(StandardCharsets.ISO_8859_1));
        }
        return this;
    }

    /** Generates inputs of the format (a quarter of the inputs); the default strings dictionary pieces together. */
    public Fuzzer generator(BiFunction<Fuzzer, Random, byte[]> inputs) {
        this.generator = inputs;
        return this;
    }

    /** The most one input may allocate, given its length; the default is 32 MiB plus 64 bytes per input byte. */
    public Fuzzer allocationLimit(LongUnaryOperator bytesForLength) {
        this.allocationLimit = bytesForLength;
        return this;
    }

    /** Mutated inputs are cut to this length (64 KiB by default). */
    public Fuzzer maxLength(int bytes) {
        this.maxLength = bytes;
        return this;
    }

    /** Runs the seeds, then the budget of generated and mutated inputs; throws on the first broken contract. */
    public void run(Target target) throws Exception {
        // a build runs the same inputs every time, so that it never fails on an input no run before it met
        String givenSeed = System.getProperty("jwtgate.fuzz.seed", "");
        long seed = givenSeed.isEmpty() ? name.hashCode() : givenSeed.equals("random") ? System.nanoTime()
                : Long.parseLong(givenSeed);
        Long givenSeconds = Long.getLong("jwtgate.fuzz.seconds");
        Integer givenTries = Integer.getInteger("jwtgate.fuzz.tries");
        long seconds = givenSeconds != null ? givenSeconds : givenTries != null ? Integer.MAX_VALUE : DEFAULT_SECONDS;
        int tries = givenTries != null ? givenTries : givenSeconds != null ? Integer.MAX_VALUE : DEFAULT_TRIES;
        Random random = new Random(seed);
        List<byte[]> corpus = new ArrayList<>(seeds);
        Set<String> outcomes = new HashSet<>();
        Runner runner = new Runner(target);
        try {
            // the first run of each seed loads and compiles the parser's classes: its allocation does not count
            runner.countAllocation = false;
            for (byte[] s : seeds) {
                runner.check(s, seed, "seed");
            }
            runner.countAllocation = true;
            for (byte[] s : seeds) {
                outcomes.add(runner.check(s, seed, "seed"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int runs = 0;
            while (runs < tries && System.nanoTime() - deadline < 0) {
                runs++;
                boolean generated = random.nextInt(4) == 0;
                byte[] input = generated ? generator.apply(this, random)
                        : mutate(random, corpus.get(random.nextInt(corpus.size())), corpus);
                String outcome = runner.check(input, seed, generated ? "generated" : "mutated");
                if (outcomes.add(outcome) && corpus.size() < MAX_CORPUS) {
                    corpus.add(input);
                }
            }
            System.out.printf("fuzz %s: %d seeds, %d inputs, %d outcomes, corpus %d, seed %d%n", name, seeds.size(),
                    runs, outcomes.size(), corpus.size(), seed);
        } finally {
            runner.close();
        }
    }

    /** Runs inputs on a worker thread, measuring time and allocation. */
    private final class Runner {
        private final Target target;
        private ExecutorService worker = newWorker();
        private boolean countAllocation;

        Runner(Target target) {
            this.target = target;
        }

        private ExecutorService newWorker() {
            return Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        /** The outcome, or throws the failure, shrunk and described. */
        String check(byte[] input, long seed, String kind) throws Exception {
            Throwable failure = failure(input);
            if (failure == null) {
                return outcome;
            }
            byte[] small = failure instanceof TimeoutException ? input : shrink(input, failure.getClass());
            Path saved = Paths.get("target", "fuzz-failures", name + "-" + Integer.toHexString(Arrays.hashCode(small)));
            Files.createDirectories(saved.getParent());
            Files.write(saved, small);
            Files.write(Paths.get(saved + ".unshrunk"), input);
            throw new AssertionError("fuzz target " + name + ": " + kind + " input (" + small.length
                    + " bytes, saved as " + saved.toAbsolutePath() + " and unshrunk beside it, run seed " + seed + "): "
                    + describe(failure) + "\n  input: " + printable(small), failure);
        }

        private String outcome;

        /** Runs {@code input}; null when the contract held (the outcome is then in {@link #outcome}). */
        private Throwable failure(byte[] input) throws InterruptedException {
            Throwable t = failureOnce(input);
            // a path the parser takes for the first time loads classes on this thread: only a second run counts
            return t instanceof AllocationExceeded ? failureOnce(input) : t;
        }

        private Throwable failureOnce(byte[] input) throws InterruptedException {
            Future<Object[]> f = worker.submit(() -> {
                ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
                long before = threads.getCurrentThreadAllocatedBytes();
                String o = target.run(input);
                return new Object[] {o, threads.getCurrentThreadAllocatedBytes() - before};
            });
            Object[] result;
            try {
                // a first run loads and compiles classes, slowly on a busy machine
                result = f.get(countAllocation ? timeLimit.toMillis() : WARM_UP_LIMIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                worker.shutdownNow();
                worker = newWorker();
                return e;
            } catch (ExecutionException e) {
                return e.getCause();
            }
            long allocated = (Long) result[1];
            long limit = allocationLimit.applyAsLong(input.length);
            if (countAllocation && allocated > limit) {
                return new AllocationExceeded(allocated, limit);
            }
            outcome = String.valueOf(result[0]);
            return null;
        }

        /** Drops pieces of {@code input} while it still fails the same way. */
        private byte[] shrink(byte[] input, Class<?> failureClass) throws InterruptedException {
            byte[] best = input;
            int runs = 0;
            for (int piece = Math.max(1, best.length / 2); piece >= 1 && runs < SHRINK_RUNS; piece /= 2) {
                for (int at = 0; at + piece <= best.length && runs < SHRINK_RUNS; runs++) {
                    byte[] candidate = new byte[best.length - piece];
                    System.arraycopy(best, 0, candidate, 0, at);
                    System.arraycopy(best, at + piece, candidate, at, best.length - at - piece);
                    Throwable t = failure(candidate);
                    if (t != null && t.getClass() == failureClass) {
                        best = candidate;
                    } else {
                        at += piece;
                    }
                }
            }
            return best;
        }

        void close() {
            worker.shutdownNow();
        }
    }

    /** The input allocated more than its limit. */
    private static final class AllocationExceeded extends Exception {
        private static final long serialVersionUID = 1L;

        AllocationExceeded(long allocated, long limit) {
            super("allocated " + allocated + " bytes, more than the limit of " + limit, null, false, false);
        }
    }

    private static String describe(Throwable t) {
        return t instanceof TimeoutException ? "no answer within the time limit (a hang)" : t.toString();
    }

    /** {@code base} mutated, spliced with the seeds at times: for generators that mutate a part of the format. */
    public byte[] mutate(Random r, byte[] base) {
        return mutate(r, base, seeds);
    }

    private byte[] mutate(Random r, byte[] base, List<byte[]> corpus) {
        byte[] b = base;
        for (int ops = 1 + r.nextInt(4); ops > 0; ops--) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            switch (r.nextInt(9)) {
                case 0 -> {
                    if (at < b.length) {
                        b = b.clone();
                        b[at] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (at < b.length) {
                        b = b.clone();
                        b[at] = SPECIAL[r.nextInt(SPECIAL.length)];
                    }
                }
                case 2 -> b = splice(b, at, at, new byte[] {(byte) r.nextInt(256)});
                case 3 -> b = splice(b, at, at, token(r));
                case 4 -> b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(16)), new byte[0]);
                case 5 -> {
                    // a slice repeated, few or many times: nesting, long lines and counts past their limits
                    int end = Math.min(b.length, at + 1 + r.nextInt(32));
                    byte[] slice = Arrays.copyOfRange(b, at, end);
                    int times = r.nextInt(3) == 0 ? 1 + r.nextInt(4000) : 1 + r.nextInt(4);
                    byte[] rep = new byte[Math.min(maxLength, slice.length * times)];
                    for (int i = 0; i < rep.length; i++) {
                        rep[i] = slice[i % slice.length];
                    }
                    b = slice.length == 0 ? b : splice(b, end, end, rep);
                }
                case 6 -> {
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    int from = r.nextInt(other.length + 1);
                    b = splice(b, at, b.length, Arrays.copyOfRange(other, from, other.length));
                }
                case 7 -> b = Arrays.copyOf(b, at);
                default -> {
                    byte[] t = token(r);
                    b = splice(b, at, Math.min(b.length, at + t.length), t);
                }
            }
        }
        return b.length > maxLength ? Arrays.copyOf(b, maxLength) : b;
    }

    private byte[] token(Random r) {
        return dictionary.isEmpty() || r.nextInt(4) == 0 ? new byte[] {SPECIAL[r.nextInt(SPECIAL.length)]}
                : dictionary.get(r.nextInt(dictionary.size()));
    }

    /** {@code pieces} dictionary tokens and random bytes strung together. */
    public byte[] fromDictionary(Random r, int pieces) {
        byte[] b = new byte[0];
        for (int i = 0; i < pieces; i++) {
            b = splice(b, b.length, b.length, r.nextInt(8) == 0 ? new byte[] {(byte) r.nextInt(256)} : token(r));
        }
        return b;
    }

    /** {@code b} with {@code [from, to)} replaced by {@code with}. */
    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }

    /** The input for the report: printable ASCII as is, other bytes as {@code \xHH}, cut at 2,000 bytes. */
    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 2000); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return b.length > 2000 ? sb + "..." : sb.toString();
    }
}
