package io.jwtgate.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.jose.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses key sources into {@link KeySet}s: JWKS, keyval, PEM and inline secrets
 * (docs/jwt.md#jwt_key_file).
 *
 * <p>Parsing is a pure function of the input bytes and never throws on bad input: the result
 * carries an error message, and each skipped key a warning. Keys are built through the given
 * {@link CryptoProvider}, which must then be used to verify with them.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th></tr>
 *   <tr><td>key document size (JWKS, keyval, PEM)</td><td>{@value #MAX_DOCUMENT_BYTES} bytes</td></tr>
 *   <tr><td>keys per document</td><td>{@value #MAX_KEYS}</td></tr>
 *   <tr><td>JSON nesting</td><td>{@value io.jwtgate.jose.internal.StrictJson#DEFAULT_MAX_DEPTH}</td></tr>
 * </table>
 */
public final class KeySetParser {

    /** Default maximum key document size: 256 KiB. */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    /** Default maximum number of keys in one document. */
    public static final int MAX_KEYS = 256;

    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private KeySetParser() {
    }

    /** Parses a JWKS document {@code {"keys":[...]}} with the default limits. */
    public static KeySetResult jwks(byte[] document, CryptoProvider crypto) {
        return jwks(document, crypto, MAX_DOCUMENT_BYTES, MAX_KEYS);
    }

    /** Parses a JWKS document with explicit limits. */
    public static KeySetResult jwks(byte[] document, CryptoProvider crypto, int maxBytes, int maxKeys) {
        List<String> warnings = new ArrayList<>();
        try {
            ObjectNode root = parseDocument(document, maxBytes);
            JsonNode keys = root.get("keys");
            if (keys == null || !keys.isArray()) {
                return KeySetResult.error("JWKS has no \"keys\" array", warnings);
            }
            if (keys.size() > maxKeys) {
                return KeySetResult.error("JWKS has " + keys.size() + " keys, more than " + maxKeys, warnings);
            }
            List<Jwk> out = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String label = label(i, keys.get(i).path("kid"));
                try {
                    out.add(KeyBuilder.fromJwk(keys.get(i), crypto, warnings, label));
                } catch (KeyBuilder.Skip e) {
                    warnings.add(label + " skipped: " + e.getMessage());
                }
            }
            return finish(out, warnings);
        } catch (BadDocument e) {
            return KeySetResult.error(e.getMessage(), warnings);
        } catch (RuntimeException e) {
            // A bug must not take the gateway down while a key source refreshes; fail that source.
            return KeySetResult.error("unexpected error: " + e.getClass().getSimpleName(), warnings);
        }
    }

    /**
     * Parses a keyval document {@code {"<kid>": "<PEM SPKI public key>", ...}}. Values that are not
     * PEM public keys are skipped: keyval never carries HMAC secrets, which closes the RS-to-HS
     * confusion path.
     */
    public static KeySetResult keyval(byte[] document, CryptoProvider crypto) {
        List<String> warnings = new ArrayList<>();
        try {
            ObjectNode root = parseDocument(document, MAX_DOCUMENT_BYTES);
            if (root.size() > MAX_KEYS) {
                return KeySetResult.error("keyval has " + root.size() + " keys, more than " + MAX_KEYS, warnings);
            }
            List<Jwk> out = new ArrayList<>();
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                String label = "key #" + i + " kid=\"" + KeyBuilder.printable(e.getKey()) + "\"";
                JsonNode v = e.getValue();
                if (!v.isTextual() || !v.textValue().strip().startsWith(PEM_BEGIN)) {
                    warnings.add(label + " skipped: not a PEM public key");
                    continue;
                }
                try {
                    out.add(KeyBuilder.fromSpki(pemBody(v.textValue()), e.getKey(), crypto));
                } catch (KeyBuilder.Skip s) {
                    warnings.add(label + " skipped: " + s.getMessage());
                }
            }
            return finish(out, warnings);
        } catch (BadDocument e) {
            return KeySetResult.error(e.getMessage(), warnings);
        } catch (RuntimeException e) {
            return KeySetResult.error("unexpected error: " + e.getClass().getSimpleName(), warnings);
        }
    }

    /** Parses a document holding exactly one PEM SPKI public key; the key has no kid. */
    public static KeySetResult pem(byte[] document, CryptoProvider crypto) {
        List<String> warnings = new ArrayList<>();
        try {
            if (document.length > MAX_DOCUMENT_BYTES) {
                return KeySetResult.error("PEM document larger than " + MAX_DOCUMENT_BYTES + " bytes", warnings);
            }
            String text = new String(document, StandardCharsets.US_ASCII);
            int first = text.indexOf(PEM_BEGIN);
            if (first < 0) {
                return KeySetResult.error(text.contains("PRIVATE KEY-----")
                        ? "a private key, not a public key (openssl pkey -in <file> -pubout writes the public key)"
                        : "no \"" + PEM_BEGIN + "\" block", warnings);
            }
            if (text.indexOf(PEM_BEGIN, first + 1) >= 0) {
                return KeySetResult.error("more than one PEM public key", warnings);
            }
            try {
                return finish(List.of(KeyBuilder.fromSpki(pemBody(text), null, crypto)), warnings);
            } catch (KeyBuilder.Skip s) {
                return KeySetResult.error("PEM public key unusable: " + s.getMessage(), warnings);
            }
        } catch (BadDocument e) {
            return KeySetResult.error(e.getMessage(), warnings);
        } catch (RuntimeException e) {
            return KeySetResult.error("unexpected error: " + e.getClass().getSimpleName(), warnings);
        }
    }

    /**
     * An inline secret: an HMAC key made of the UTF-8 bytes of {@code secret}, no kid, usable for
     * HS256/384/512. A secret shorter than 32 bytes works but draws a warning.
     */
    public static KeySetResult secret(String secret, CryptoProvider crypto) {
        List<String> warnings = new ArrayList<>();
        try {
            Jwk k = KeyBuilder.secret(null, null, null, secret.getBytes(StandardCharsets.UTF_8), crypto,
                    warnings, null);
            return finish(List.of(k), warnings);
        } catch (KeyBuilder.Skip s) {
            return KeySetResult.error("secret unusable: " + s.getMessage(), warnings);
        }
    }

    private static KeySetResult finish(List<Jwk> keys, List<String> warnings) {
        if (keys.isEmpty()) {
            return KeySetResult.noUsableKey(warnings);
        }
        return KeySetResult.ok(KeySet.of(keys), warnings);
    }

    private static ObjectNode parseDocument(byte[] document, int maxBytes) throws BadDocument {
        if (document.length > maxBytes) {
            throw new BadDocument("key document larger than " + maxBytes + " bytes");
        }
        try {
            return StrictJson.parseObject(document, 0, document.length, StrictJson.DEFAULT_MAX_DEPTH);
        } catch (StrictJson.Invalid e) {
            throw new BadDocument("key document: " + e.getMessage());
        }
    }

    /** Decodes the base64 body between the PEM armour lines. */
    private static byte[] pemBody(String text) throws BadDocument, KeyBuilder.Skip {
        int b = text.indexOf(PEM_BEGIN);
        int e = text.indexOf(PEM_END, b);
        if (b < 0 || e < 0) {
            throw new KeyBuilder.Skip("PEM armour incomplete");
        }
        StringBuilder body = new StringBuilder();
        for (int i = b + PEM_BEGIN.length(); i < e; i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
                body.append(c);
            }
        }
        try {
            return Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException x) {
            throw new KeyBuilder.Skip("PEM body is not base64");
        }
    }

    private static String label(int index, JsonNode kid) {
        return kid.isTextual() ? "key #" + index + " kid=\"" + KeyBuilder.printable(kid.textValue()) + "\""
                : "key #" + index;
    }

    /** The document as a whole is unusable. */
    private static final class BadDocument extends Exception {
        private static final long serialVersionUID = 1L;

        BadDocument(String message) {
            super(message, null, false, false);
        }
    }
}
