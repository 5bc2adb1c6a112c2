package io.jwtgate.jose.internal;

import java.util.Arrays;

/**
 * The parts of a DER SubjectPublicKeyInfo (a {@code BEGIN PUBLIC KEY} body) needed to pick a key type: the algorithm
 * OID, an optional parameters OID (the named curve for EC keys) and the public key bits.
 * Only the shapes used by RSA, EC and EdDSA keys are accepted.
 */
public final class Spki {

    /** rsaEncryption 1.2.840.113549.1.1.1 (OID content bytes). */
    public static final byte[] OID_RSA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey 1.2.840.10045.2.1. */
    public static final byte[] OID_EC = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    /** id-Ed25519 1.3.101.112. */
    public static final byte[] OID_ED25519 = {0x2B, 0x65, 0x70};
    /** id-Ed448 1.3.101.113. */
    public static final byte[] OID_ED448 = {0x2B, 0x65, 0x71};

    private final byte[] algorithm;
    private final byte[] parameter;
    private final byte[] key;

    private Spki(byte[] algorithm, byte[] parameter, byte[] key) {
        this.algorithm = algorithm;
        this.parameter = parameter;
        this.key = key;
    }

    /** Algorithm OID content bytes. */
    public byte[] algorithm() {
        return algorithm.clone();
    }

    /** True if the algorithm OID equals {@code oid} (content bytes). */
    public boolean isAlgorithm(byte[] oid) {
        return Arrays.equals(algorithm, oid);
    }

    /** Parameters OID content bytes, or {@code null} when the parameters are absent or not an OID. */
    public byte[] parameter() {
        return parameter == null ? null : parameter.clone();
    }

    /** The subjectPublicKey BIT STRING content (without the unused-bits octet). */
    public byte[] key() {
        return key.clone();
    }

    /** Parses DER; returns {@code null} on anything unexpected, including trailing bytes. */
    public static Spki parse(byte[] der) {
        try {
            Reader r = new Reader(der, 0, der.length);
            Reader outer = r.enter(0x30);
            if (!r.atEnd()) {
                return null;
            }
            Reader alg = outer.enter(0x30);
            byte[] oid = alg.content(0x06);
            byte[] param = null;
            if (!alg.atEnd()) {
                if (alg.peek() == 0x06) {
                    param = alg.content(0x06);
                } else {
                    alg.content(alg.peek()); // e.g. NULL for rsaEncryption
                }
            }
            if (!alg.atEnd()) {
                return null;
            }
            byte[] bits = outer.content(0x03);
            if (!outer.atEnd() || bits.length < 1 || bits[0] != 0) {
                return null;
            }
            return new Spki(oid, param, Arrays.copyOfRange(bits, 1, bits.length));
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return null; // config-time input only; exceptions here never reach the hot path
        }
    }

    /** Minimal DER TLV reader over a byte range. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean atEnd() {
            return pos == end;
        }

        int peek() {
            if (pos >= end) {
                throw new IllegalStateException();
            }
            return b[pos] & 0xff;
        }

        private int header(int tag) {
            if (peek() != tag) {
                throw new IllegalStateException();
            }
            pos++;
            int len = b[pos++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3) {
                    throw new IllegalStateException();
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[pos++] & 0xff);
                }
            }
            if (len > end - pos) {
                throw new IllegalStateException();
            }
            return len;
        }

        Reader enter(int tag) {
            int len = header(tag);
            Reader r = new Reader(b, pos, pos + len);
            pos += len;
            return r;
        }

        byte[] content(int tag) {
            int len = header(tag);
            byte[] out = Arrays.copyOfRange(b, pos, pos + len);
            pos += len;
            return out;
        }
    }
}
