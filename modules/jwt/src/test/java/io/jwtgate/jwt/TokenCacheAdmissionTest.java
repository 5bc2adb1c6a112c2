package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.NOW;
import static io.jwtgate.jwt.Fixtures.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission on second sight: the verified-token cache keeps a verdict only for a token it has seen before, so that
 * tokens that do not repeat cost no entry, while a client reusing its token is served from the cache as before.
 * Expiry runs on the module's clock.
 */
class TokenCacheAdmissionTest {

    static final JwsParser parser = JwsParser.create();
    static final List<KeySet> KEYS = List.of(KeySet.empty());
    static final List<KeySet> OTHER_KEYS = List.of(KeySet.empty(), KeySet.empty());

    final Fixtures.TestClock clock = new Fixtures.TestClock();
    final TokenCache cache = new TokenCache(TokenCache.DEFAULT_BYTES, clock);

    static String token(String sub) {
        return Fixtures.hs256(Fixtures.SECRET, claims(sub, ""));
    }

    static Jws jws(String token) {
        return parser.parse(token).jws();
    }

    /** What a request's Authentication does with the cache: a hit, or a miss and then the verdict offered. */
    boolean request(String token) {
        if (cache.get(token) != null) {
            return true;
        }
        cache.put(token, jws(token), KEYS, null);
        return false;
    }

    @Test
    void aTokenIsCachedTheSecondTimeItIsSeen() {
        String t = token("alice");
        assertThat(request(t)).isFalse();
        assertThat(cache.size()).isZero();
        assertThat(request(t)).isFalse();
        assertThat(cache.size()).isOne();
        assertThat(request(t)).isTrue();
        assertThat(cache.get(t).matches(KEYS)).isTrue();
    }

    @Test
    void aRepeatedSetOfTokensIsServedFromTheCacheFromItsThirdRoundOn() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tokens.add(token("user-" + i));
        }
        int misses = 0;
        for (int round = 0; round < 10; round++) {
            for (String t : tokens) {
                if (!request(t)) {
                    misses++;
                }
            }
        }
        assertThat(misses).isEqualTo(2 * tokens.size());
        assertThat(cache.size()).isEqualTo(tokens.size());
    }

    @Test
    void tokensThatComeBackOnlyAfterManyOthersAreNotCached() {
        // 100,000 distinct tokens in turn, twice: each comes back after 99,999 others, many more than the default
        // size holds (about 5,000 tokens of this length), so caching them would only have filled the heap
        String base = token("bob");
        Jws jws = jws(base);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 100_000; i++) {
                String t = base + i;
                assertThat(cache.get(t)).isNull();
                cache.put(t, jws, KEYS, null);
            }
        }
        // a token is admitted only when no other of the 99,999 took its slot: a handful at most
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void tokensThatComeBackAfterMoreOthersThanTheCacheHoldsAreNotCached() {
        // a full cache holds about 5,461 tokens of this length: each of these comes back after 10,921 others
        String base = token("erin");
        Jws jws = jws(base);
        int distinct = 2 * (int) (TokenCache.DEFAULT_BYTES / TokenCache.TYPICAL_WEIGHT);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < distinct; i++) {
                cache.put(base + i, jws, KEYS, null);
            }
        }
        assertThat(cache.size()).isZero();
    }

    @Test
    void aNewVerdictForACachedTokenReplacesTheOldOneAtOnce() {
        String t = token("carol");
        request(t);
        request(t);
        // the keys changed: the cached verdict does not count, the signature is checked again and rejected
        assertThat(cache.get(t).matches(OTHER_KEYS)).isFalse();
        cache.put(t, jws(t), OTHER_KEYS, Reason.BAD_SIGNATURE);
        assertThat(cache.get(t).matches(OTHER_KEYS)).isTrue();
        assertThat(cache.get(t).rejection()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void entriesLiveUntilTheTokensExpOnTheModulesClock() {
        String t = Fixtures.hs256(Fixtures.SECRET, "{\"sub\":\"dave\",\"exp\":" + (NOW + 60) + "}");
        request(t);
        request(t);
        clock.advanceSeconds(59);
        assertThat(cache.get(t)).isNotNull();
        clock.advanceSeconds(2);
        assertThat(cache.get(t)).isNull();
    }

    @Test
    void aRejectedSignatureIsRememberedForTenSeconds() {
        String t = token("mallory");
        cache.put(t, jws(t), KEYS, Reason.BAD_SIGNATURE);
        assertThat(cache.get(t)).isNull();
        cache.put(t, jws(t), KEYS, Reason.BAD_SIGNATURE);
        assertThat(cache.get(t).rejection()).isEqualTo(Reason.BAD_SIGNATURE);
        clock.advanceSeconds(TokenCache.NEGATIVE_SECONDS);
        assertThat(cache.get(t)).isNull();
    }
}
