package io.jwtgate.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.testing.EchoModule;
import io.jwtgate.testing.RawResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/** Shared test helpers: a settable clock, module lists, keys, and tokens signed by Nimbus or the JDK. */
final class Fixtures {

    /** A fixed "now" well inside the range of every test token. */
    static final long NOW = 1_800_000_000L;

    /** 32-byte HS256 secret as used in most configurations. */
    static final String SECRET = "0123456789abcdef0123456789abcdef";

    private Fixtures() {
    }

    /** A clock the test sets; starts at {@link #NOW}. */
    static final class TestClock implements InstantSource {
        volatile long millis = NOW * 1000;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }

        void advanceSeconds(long seconds) {
            millis += seconds * 1000;
        }
    }

    /** The core modules plus a JWT module on {@code clock}, in handler order. */
    static Supplier<List<HttpModule>> modules(InstantSource clock) {
        return () -> {
            List<HttpModule> l = new ArrayList<>(CoreModules.create());
            l.add(new EchoModule());
            l.add(new JwtModule(clock, CryptoProvider.preferred()));
            return l;
        };
    }

    /** A configuration with one server on {@code port}; {@code server} is the server block's body. */
    static String conf(int port, String http, String server) {
        return "events { worker_connections 64; }\nhttp {\n" + http + "\nserver {\nlisten 127.0.0.1:" + port
                + ";\n" + server + "\n}\n}\n";
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A claims JSON with {@code sub} and {@code exp = NOW + 3600}, plus {@code extra} members (JSON text). */
    static String claims(String sub, String extra) {
        return "{\"sub\":\"" + sub + "\",\"exp\":" + (NOW + 3600) + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Signs {@code payload} with Nimbus. */
    static String nimbus(JWSAlgorithm alg, JWSSigner signer, String kid, String payload) {
        try {
            JWSHeader.Builder h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
            if (kid != null) {
                h.keyID(kid);
            }
            JWSObject o = new JWSObject(h.build(), new Payload(payload));
            o.sign(signer);
            return o.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(String secret, String payload) {
        return hs(JWSAlgorithm.HS256, secret, null, payload);
    }

    static String hs(JWSAlgorithm alg, String secret, String kid, String payload) {
        try {
            return nimbus(alg, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), kid, payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs(JWSAlgorithm alg, KeyPair kp, String kid, String payload) {
        return nimbus(alg, new RSASSASigner(kp.getPrivate()), kid, payload);
    }

    static String es(JWSAlgorithm alg, KeyPair kp, String kid, String payload) {
        try {
            return nimbus(alg, new ECDSASigner((ECPrivateKey) kp.getPrivate()), kid, payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** EdDSA with the JDK's Ed25519 (Nimbus needs Tink for signing). */
    static String ed25519(PrivateKey key, String alg, String kid, String payload) {
        String header = "{\"alg\":\"" + alg + "\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
        String input = b64(header) + "." + b64(payload);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with the given header and payload JSON and an arbitrary signature segment. */
    static String raw(String header, String payload, String sig) {
        return b64(header) + "." + b64(payload) + "." + sig;
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM SPKI document. */
    static String pem(PublicKey k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(k.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    /** Asserts a 401 for an invalid token with the given reason text, challenge and JSON body. */
    static void assertInvalid(RawResponse r, String reason) {
        assertThat(r.code()).as(r.toString()).isEqualTo(401);
        assertThat(r.headers("WWW-Authenticate")).containsExactly(
                "Bearer error=\"invalid_token\", error_description=\"" + reason + "\"");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyString()).isEqualTo(
                "{\"error\":\"invalid_token\",\"error_description\":\"" + reason + "\"}");
    }

    /** Asserts the 503 sent when every key source asked failed and no other key exists. */
    static void assertUnavailable(RawResponse r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo("10");
        assertThat(r.headers("WWW-Authenticate")).isEmpty();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyString()).isEqualTo(
                "{\"error\":\"temporarily_unavailable\",\"error_description\":\"key sources unavailable\"}");
    }

    /** Asserts a 401 for a request without a token. */
    static void assertNoToken(RawResponse r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(401);
        assertThat(r.headers("WWW-Authenticate")).containsExactly("Bearer");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyString()).isEqualTo("{\"error\":\"unauthorized\",\"error_description\":\"no token\"}");
    }
}
