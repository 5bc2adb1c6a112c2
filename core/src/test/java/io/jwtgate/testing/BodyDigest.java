package io.jwtgate.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Consumes a body piece by piece: counts it, hashes it with SHA-256, and keeps a copy while it stays within a limit.
 * Not thread-safe; one instance per body.
 */
final class BodyDigest {

    private final MessageDigest sha256;
    private final long keepLimit;
    private ByteArrayOutputStream kept;
    private long length;

    /** @param keepLimit keep the bytes only if the whole body is at most this long; 0 keeps nothing */
    BodyDigest(long keepLimit) {
        this.sha256 = newSha256();
        this.keepLimit = keepLimit;
        this.kept = keepLimit > 0 ? new ByteArrayOutputStream() : null;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** Consumes the remaining bytes of {@code piece} (its position is advanced). */
    void update(ByteBuffer piece) {
        int n = piece.remaining();
        if (kept != null) {
            if (length + n > keepLimit) {
                kept = null;
            } else if (piece.hasArray()) {
                kept.write(piece.array(), piece.arrayOffset() + piece.position(), n);
            } else {
                byte[] copy = new byte[n];
                piece.duplicate().get(copy);
                kept.write(copy, 0, n);
            }
        }
        sha256.update(piece);
        length += n;
    }

    void update(byte[] bytes, int off, int len) {
        update(ByteBuffer.wrap(bytes, off, len));
    }

    long length() {
        return length;
    }

    /** Finishes the digest; call once. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Returns the kept bytes, or {@code null} if the body exceeded the limit or nothing was to be kept. */
    byte[] keptBytes() {
        return kept == null ? null : kept.toByteArray();
    }
}
