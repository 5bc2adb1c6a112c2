package io.jwtgate.testing;

import java.util.List;
import java.util.Map;

/** A tiny JSON writer for the echo reply; no dependency on a JSON library. */
final class Json {

    private Json() {
    }

    /** Renders the echo body describing {@code request}. */
    static String echo(RecordedRequest request) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"method\":");
        string(sb, request.method());
        sb.append(",\"uri\":");
        string(sb, request.uri());
        sb.append(",\"version\":");
        string(sb, request.version());
        sb.append(",\"headers\":{");
        boolean firstName = true;
        for (Map.Entry<String, List<String>> e : request.headers().asMap().entrySet()) {
            if (!firstName) {
                sb.append(',');
            }
            firstName = false;
            string(sb, e.getKey());
            sb.append(":[");
            boolean firstValue = true;
            for (String v : e.getValue()) {
                if (!firstValue) {
                    sb.append(',');
                }
                firstValue = false;
                string(sb, v);
            }
            sb.append(']');
        }
        sb.append("},\"bodyLength\":").append(request.bodyLength());
        sb.append(",\"bodySha256\":");
        string(sb, request.bodySha256());
        return sb.append('}').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
