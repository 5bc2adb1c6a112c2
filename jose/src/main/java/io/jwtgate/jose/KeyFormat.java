package io.jwtgate.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.jose.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The formats of a key document ({@code jwt_key_file}, {@code jwtgate token verify --key}), and how a document
 * without a stated format is recognised by its content (docs/jwt.md, "jwt_key_file").
 */
public enum KeyFormat {
    /** {@code {"keys":[...]}}. */
    JWKS,
    /** {@code {"<kid>": "<PEM public key>", ...}}. */
    KEYVAL,
    /** One {@code BEGIN PUBLIC KEY} block. */
    PEM;

    /** The name in a configuration or on the command line: {@code jwks}, {@code keyval}, {@code pem}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code document} in this format. */
    public KeySetResult parse(byte[] document, CryptoProvider crypto) {
        return switch (this) {
            case JWKS -> KeySetParser.jwks(document, crypto);
            case KEYVAL -> KeySetParser.keyval(document, crypto);
            case PEM -> KeySetParser.pem(document, crypto);
        };
    }

    /**
     * The format the content shows without doubt, or {@code null}: PEM armour in a text that is not a JSON object,
     * a JSON object with a {@code keys} member (jwks), or a JSON object whose values are all strings (keyval).
     */
    public static KeyFormat detect(byte[] document) {
        int i = 0;
        while (i < document.length && (document[i] == ' ' || document[i] == '\t' || document[i] == '\r'
                || document[i] == '\n')) {
            i++;
        }
        if (i == document.length || document.length > KeySetParser.MAX_DOCUMENT_BYTES) {
            return null;
        }
        if (document[i] != '{') {
            return new String(document, StandardCharsets.US_ASCII).contains("-----BEGIN ") ? PEM : null;
        }
        ObjectNode root;
        try {
            root = StrictJson.parseObject(document, 0, document.length, StrictJson.DEFAULT_MAX_DEPTH);
        } catch (StrictJson.Invalid e) {
            return null;
        }
        if (root.has("keys")) {
            return JWKS;
        }
        for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
            if (!it.next().isTextual()) {
                return null;
            }
        }
        return KEYVAL;
    }

    /**
     * Loads a key document. A {@code stated} format is authoritative; when the document does not parse in it and
     * its content shows another format, the error says so. Without one, the document is parsed in the format its
     * content shows, and when it shows none the error gives each format's reason for refusing it.
     */
    public static KeySetResult load(byte[] document, KeyFormat stated, CryptoProvider crypto) {
        if (document.length > KeySetParser.MAX_DOCUMENT_BYTES) {
            return KeySetResult.error("key document larger than " + KeySetParser.MAX_DOCUMENT_BYTES + " bytes",
                    List.of());
        }
        KeyFormat detected = detect(document);
        if (stated != null) {
            KeySetResult r = stated.parse(document, crypto);
            if (!r.isOk() && detected != null && detected != stated) {
                return KeySetResult.error("the content is " + detected.text() + ", not " + stated.text()
                        + " as stated", r.warnings());
            }
            return r;
        }
        if (detected != null) {
            return detected.parse(document, crypto);
        }
        StringBuilder tried = new StringBuilder("not a key document in any format: ");
        for (KeyFormat f : values()) {
            tried.append(f == JWKS ? "" : "; ").append(f.text()).append(": ").append(f.parse(document, crypto).error());
        }
        return KeySetResult.error(tried.toString(), List.of());
    }
}
