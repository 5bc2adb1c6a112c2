package io.jwtgate.jose;

import java.util.List;
import java.util.Objects;

/**
 * Selects candidate keys for a token (docs/jwt.md#validation-order, step 3) and verifies its
 * signature. Immutable and thread-safe; all state is in the {@link CryptoProvider}'s per-thread
 * engines.
 *
 * <ul>
 *   <li>Token with kid K: candidates are keys labelled K in any source. Only if no source has a
 *       key labelled K are the kid-less keys tried. If labelled keys exist but none fits the alg,
 *       the token is rejected ({@link Reason#NO_MATCHING_KEY}).</li>
 *   <li>Token without kid: every compatible key.</li>
 *   <li>A key fits when its type and curve match the alg family and its declared alg, if any, is
 *       the token's alg exactly. At most {@value #MAX_CANDIDATES} candidates are tried.</li>
 * </ul>
 */
public final class SignatureVerifier {

    /** Bound on signature work per token. */
    public static final int MAX_CANDIDATES = 16;

    private final CryptoProvider crypto;

    private SignatureVerifier(CryptoProvider crypto) {
        this.crypto = crypto;
    }

    /** A verifier using the engines of {@code crypto}, which should be the one that built the keys. */
    public static SignatureVerifier create(CryptoProvider crypto) {
        return new SignatureVerifier(Objects.requireNonNull(crypto, "crypto"));
    }

    /** Verifies against one key set; see {@link #verify(Jws, List)}. */
    public Reason verify(Jws jws, KeySet keys) {
        return verify(jws, List.of(keys));
    }

    /**
     * Verifies {@code jws} against the keys of several sources.
     *
     * @return {@code null} if a candidate key verified the signature; otherwise
     *     {@link Reason#UNSUPPORTED_ALGORITHM} ({@code none} or unknown alg),
     *     {@link Reason#NO_USABLE_KEY} (no key in any source), {@link Reason#NO_MATCHING_KEY}
     *     (no candidate) or {@link Reason#BAD_SIGNATURE} (candidates tried, none verified)
     */
    public Reason verify(Jws jws, List<KeySet> sources) {
        Algorithm alg = jws.algorithm();
        if (alg == null) {
            return Reason.UNSUPPORTED_ALGORITHM;
        }
        boolean anyKey = false;
        for (int i = 0; i < sources.size(); i++) {
            anyKey |= !sources.get(i).isEmpty();
        }
        if (!anyKey) {
            return Reason.NO_USABLE_KEY;
        }
        Attempt a = new Attempt(jws, alg);
        String kid = jws.kid();
        if (kid != null) {
            boolean labelled = false;
            for (int i = 0; i < sources.size() && !a.done(); i++) {
                List<Jwk> keys = sources.get(i).withKid(kid);
                labelled |= !keys.isEmpty();
                a.tryAll(keys);
            }
            // Fall back to kid-less keys only when no source knows K at all: a key labelled K that does
            // not fit must not open the door to other keys.
            for (int i = 0; !labelled && i < sources.size() && !a.done(); i++) {
                a.tryAll(sources.get(i).withoutKid());
            }
        } else {
            for (int i = 0; i < sources.size() && !a.done(); i++) {
                a.tryAll(sources.get(i).keys());
            }
        }
        if (a.verified) {
            return null;
        }
        return a.candidates == 0 ? Reason.NO_MATCHING_KEY : Reason.BAD_SIGNATURE;
    }

    /** Per-call counters; a tiny object rather than fields, so the verifier stays stateless. */
    private final class Attempt {
        private final Jws jws;
        private final Algorithm alg;
        int candidates;
        boolean verified;

        Attempt(Jws jws, Algorithm alg) {
            this.jws = jws;
            this.alg = alg;
        }

        boolean done() {
            return verified || candidates >= MAX_CANDIDATES;
        }

        void tryAll(List<Jwk> keys) {
            for (int i = 0; i < keys.size() && !done(); i++) {
                Jwk k = keys.get(i);
                if (k.fits(alg)) {
                    candidates++;
                    verified = crypto.verify(alg, k, jws.signingInputBuffer(), 0, jws.signingInputLength(),
                            jws.signatureBuffer());
                }
            }
        }
    }
}
