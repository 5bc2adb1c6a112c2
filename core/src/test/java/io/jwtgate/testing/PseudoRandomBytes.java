package io.jwtgate.testing;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A deterministic stream of pseudo-random bytes (SplitMix64), used for large bodies on both sides of a transfer.
 * The n-th byte depends only on the seed and n, never on how the stream is split into reads.
 * Not thread-safe; one instance per stream.
 */
public final class PseudoRandomBytes {

    /** The seed used by {@link TestBackend} replies and {@link RawHttpClient} uploads. */
    public static final long DEFAULT_SEED = 0x6a77_7467_6174_6531L;

    private long state;
    private long word;
    private int bytesLeftInWord;

    /** Starts the stream for {@link #DEFAULT_SEED}. */
    public PseudoRandomBytes() {
        this(DEFAULT_SEED);
    }

    /** Starts the stream for {@code seed}. */
    public PseudoRandomBytes(long seed) {
        this.state = seed;
    }

    /** Fills {@code dst[off, off + len)} with the next {@code len} bytes of the stream. */
    public void nextBytes(byte[] dst, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            if (bytesLeftInWord == 0) {
                word = nextLong();
                bytesLeftInWord = 8;
            }
            dst[i] = (byte) word;
            word >>>= 8;
            bytesLeftInWord--;
        }
    }

    private long nextLong() {
        long z = (state += 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Returns the lower-case hex SHA-256 of the first {@code length} bytes of the {@link #DEFAULT_SEED} stream. */
    public static String sha256(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
        MessageDigest md = BodyDigest.newSha256();
        PseudoRandomBytes gen = new PseudoRandomBytes();
        byte[] piece = new byte[64 * 1024];
        for (long left = length; left > 0; ) {
            int n = (int) Math.min(piece.length, left);
            gen.nextBytes(piece, 0, n);
            md.update(piece, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
