package io.jwtgate.jose.claims;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path into a JSON document (docs/jwt.md#jwt_claim-jwt_header, "Paths"). Parse once at
 * configuration time, resolve per request.
 *
 * <ul>
 *   <li>A plain name that exists as a top-level member is that member, so namespaced claims such
 *       as {@code https://example.com/roles} work unquoted.</li>
 *   <li>Otherwise a dot path: {@code realm_access.roles}; a segment of digits indexes an array
 *       ({@code roles.0}); a segment in double quotes is a literal member name that may contain dots
 *       ({@code grants."access.service".roles}).</li>
 *   <li>A path starting with {@code .} or {@code [} is jq-style: {@code .address.city},
 *       {@code .groups[0].name}, {@code ."dotted.key"}, {@code ["a.b"]}; {@code .} alone is the
 *       whole document.</li>
 * </ul>
 *
 * <p>Inside quotes, {@code \"} and {@code \\} escape a quote and a backslash.
 */
public final class ClaimPath {

    /** One step: a member name, an array index, or digits that mean either depending on the node. */
    private static final class Segment {
        final String name; // null for a pure index
        final int index; // -1 when not numeric

        Segment(String name, int index) {
            this.name = name;
            this.index = index;
        }
    }

    private final String text;
    private final boolean plainFirst;
    private final Segment[] segments;

    private ClaimPath(String text, boolean plainFirst, Segment[] segments) {
        this.text = text;
        this.plainFirst = plainFirst;
        this.segments = segments;
    }

    /**
     * Compiles a path.
     *
     * @throws IllegalArgumentException with a short reason when the syntax is invalid
     */
    public static ClaimPath parse(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty claim path");
        }
        char c0 = path.charAt(0);
        if (c0 == '.' || c0 == '[') {
            return new ClaimPath(path, false, parseJq(path));
        }
        return new ClaimPath(path, true, parseDotted(path));
    }

    /** The path as written. */
    public String text() {
        return text;
    }

    /** The node at this path, or {@code null} when it does not exist. */
    public JsonNode resolve(JsonNode root) {
        if (root == null) {
            return null;
        }
        if (plainFirst && root.isObject()) {
            JsonNode top = root.get(text);
            if (top != null) {
                return top;
            }
        }
        JsonNode n = root;
        for (Segment s : segments) {
            if (n.isArray()) {
                if (s.index < 0 || s.index >= n.size()) {
                    return null;
                }
                n = n.get(s.index);
            } else if (n.isObject() && s.name != null) {
                n = n.get(s.name);
                if (n == null) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return text;
    }

    private static Segment[] parseDotted(String p) {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        int n = p.length();
        while (true) {
            if (i < n && p.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i = readQuoted(p, i, sb);
                out.add(new Segment(sb.toString(), -1));
            } else {
                int j = p.indexOf('.', i);
                if (j < 0) {
                    j = n;
                }
                if (j == i) {
                    throw new IllegalArgumentException("empty segment in claim path \"" + p + "\"");
                }
                String name = p.substring(i, j);
                out.add(new Segment(name, digits(name)));
                i = j;
            }
            if (i == n) {
                break;
            }
            if (p.charAt(i) != '.') {
                throw new IllegalArgumentException("expected '.' after quoted segment in claim path \"" + p + "\"");
            }
            i++;
            if (i == n) {
                throw new IllegalArgumentException("claim path \"" + p + "\" ends with '.'");
            }
        }
        return out.toArray(new Segment[0]);
    }

    private static Segment[] parseJq(String p) {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        int n = p.length();
        if (p.equals(".")) {
            return new Segment[0];
        }
        while (i < n) {
            char c = p.charAt(i);
            if (c == '.') {
                i++;
                if (i == n) {
                    throw new IllegalArgumentException("claim path \"" + p + "\" ends with '.'");
                }
                if (p.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i = readQuoted(p, i, sb);
                    out.add(new Segment(sb.toString(), -1));
                } else if (p.charAt(i) == '[') {
                    continue; // ".[0]" is the same as "[0]"
                } else {
                    int j = i;
                    while (j < n && p.charAt(j) != '.' && p.charAt(j) != '[') {
                        j++;
                    }
                    if (j == i) {
                        throw new IllegalArgumentException("empty segment in claim path \"" + p + "\"");
                    }
                    out.add(new Segment(p.substring(i, j), -1));
                    i = j;
                }
            } else if (c == '[') {
                i++;
                if (i < n && p.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i = readQuoted(p, i, sb);
                    out.add(new Segment(sb.toString(), -1));
                } else {
                    int j = i;
                    while (j < n && p.charAt(j) != ']') {
                        j++;
                    }
                    int idx = digits(p.substring(i, j));
                    if (idx < 0) {
                        throw new IllegalArgumentException("bad array index in claim path \"" + p + "\"");
                    }
                    out.add(new Segment(null, idx));
                    i = j;
                }
                if (i >= n || p.charAt(i) != ']') {
                    throw new IllegalArgumentException("missing ']' in claim path \"" + p + "\"");
                }
                i++;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in claim path \"" + p + "\"");
            }
        }
        return out.toArray(new Segment[0]);
    }

    /** Reads a quoted name starting at the opening quote; returns the index after the closing quote. */
    private static int readQuoted(String p, int i, StringBuilder sb) {
        int n = p.length();
        i++;
        while (i < n) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < n && (p.charAt(i + 1) == '"' || p.charAt(i + 1) == '\\')) {
                sb.append(p.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                sb.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated quote in claim path \"" + p + "\"");
    }

    /** The value of an all-digit string that fits an int, else -1. */
    private static int digits(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
