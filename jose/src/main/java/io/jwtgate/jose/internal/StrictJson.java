package io.jwtgate.jose.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strict JSON reader building Jackson trees: UTF-8 only, duplicate member names rejected,
 * trailing data rejected, nesting depth bounded, integers beyond 64 bits and non-finite numbers
 * rejected. The tree is built here (not by databind) so the limits are enforced while reading.
 */
public final class StrictJson {

    /** Default nesting limit for JOSE headers, payloads and key documents (docs/jwt.md#input-limits). */
    public static final int DEFAULT_MAX_DEPTH = 16;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Never echo input into error messages: the input may be a token or key material.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64) // our own, tighter limit is checked below
                    .maxNumberLength(400)
                    .build())
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    /** A JSON document that breaks the rules; stackless because it is an expected outcome. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private StrictJson() {
    }

    /** Parses any JSON value; {@code maxDepth} counts containers, the root container being 1. */
    public static JsonNode parse(byte[] buf, int off, int len, int maxDepth) throws Invalid {
        checkEncoding(buf, off, len);
        try (JsonParser p = FACTORY.createParser(buf, off, len)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new Invalid("empty document");
            }
            JsonNode root = read(p, t, 0, maxDepth);
            if (p.nextToken() != null) {
                throw new Invalid("trailing data after JSON value");
            }
            return root;
        } catch (Invalid e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson reports syntax, duplicate names and constraint violations this way.
            throw new Invalid("invalid JSON: " + shortMessage(e));
        }
    }

    /** Parses a document that must be a JSON object. */
    public static ObjectNode parseObject(byte[] buf, int off, int len, int maxDepth) throws Invalid {
        JsonNode n = parse(buf, off, len, maxDepth);
        if (!n.isObject()) {
            throw new Invalid("not a JSON object");
        }
        return (ObjectNode) n;
    }

    /** Like {@link #parseObject} but returns {@code null} instead of throwing. */
    public static ObjectNode parseObjectOrNull(byte[] buf, int maxDepth) {
        try {
            return parseObject(buf, 0, buf.length, maxDepth);
        } catch (Invalid e) {
            return null;
        }
    }

    /** Parses a JSON value given as text (configuration values such as {@code json=...}). */
    public static JsonNode parse(String text, int maxDepth) throws Invalid {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length, maxDepth);
    }

    private static void checkEncoding(byte[] buf, int off, int len) throws Invalid {
        // Jackson would auto-detect UTF-16/32 (recognisable by NUL bytes) and skip a BOM; JOSE
        // requires UTF-8, and a NUL byte can never appear in valid UTF-8 JSON text.
        if (len >= 3 && buf[off] == (byte) 0xEF && buf[off + 1] == (byte) 0xBB && buf[off + 2] == (byte) 0xBF) {
            throw new Invalid("byte order mark not allowed");
        }
        for (int i = off, end = off + len; i < end; i++) {
            if (buf[i] == 0) {
                throw new Invalid("not UTF-8 JSON");
            }
        }
    }

    private static JsonNode read(JsonParser p, JsonToken t, int depth, int maxDepth) throws IOException, Invalid {
        switch (t) {
            case START_OBJECT: {
                if (depth + 1 > maxDepth) {
                    throw new Invalid("nesting deeper than " + maxDepth);
                }
                ObjectNode o = NODES.objectNode();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, read(p, p.nextToken(), depth + 1, maxDepth));
                }
                return o;
            }
            case START_ARRAY: {
                if (depth + 1 > maxDepth) {
                    throw new Invalid("nesting deeper than " + maxDepth);
                }
                ArrayNode a = NODES.arrayNode();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(read(p, n, depth + 1, maxDepth));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        throw new Invalid("integer out of range");
                }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (Double.isInfinite(d) || Double.isNaN(d)) {
                    throw new Invalid("number out of range");
                }
                return NODES.numberNode(d);
            }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new Invalid("unexpected token " + t);
        }
    }

    private static String shortMessage(Exception e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
