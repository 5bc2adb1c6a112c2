package io.jwtgate.jose.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The blocks of a PEM text (docs/jwt.md#jwt_key_file): each label and its decoded body, in file order. */
public final class Pem {

    /** One {@code -----BEGIN <label>-----} ... {@code -----END <label>-----} block. */
    public record Block(String label, byte[] der) {
    }

    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /** True if the text holds a PEM BEGIN line; text around the blocks is allowed, as openssl allows it. */
    public static boolean isPem(String text) {
        return text.contains(BEGIN);
    }

    /**
     * Every block of {@code text}.
     *
     * @throws IllegalArgumentException with a message naming the block, when a block has no matching END line or a
     *     body that is not base64 (encapsulated headers such as {@code Proc-Type} included)
     */
    public static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        int i = 0;
        while ((i = text.indexOf(BEGIN, i)) >= 0) {
            int labelEnd = text.indexOf(DASHES, i + BEGIN.length());
            int lineEnd = text.indexOf('\n', i);
            if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd)) {
                throw new IllegalArgumentException("malformed PEM BEGIN line");
            }
            String label = text.substring(i + BEGIN.length(), labelEnd);
            String end = "-----END " + label + DASHES;
            int bodyStart = labelEnd + DASHES.length();
            int j = text.indexOf(end, bodyStart);
            if (j < 0) {
                throw new IllegalArgumentException("PEM block \"" + shown(label) + "\" has no END line");
            }
            try {
                out.add(new Block(label, Base64.getMimeDecoder().decode(strict(text.substring(bodyStart, j)))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block \"" + shown(label) + "\" is not base64");
            }
            i = j + end.length();
        }
        return out;
    }

    /**
     * A label as a message shows it: at most 40 characters, anything but printable ASCII as {@code ?}, so that a
     * message about a file stays one short line.
     */
    public static String shown(String label) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < Math.min(label.length(), 40); k++) {
            char c = label.charAt(k);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return label.length() > 40 ? sb + "..." : sb.toString();
    }

    /** The MIME decoder skips characters outside the alphabet; a PEM body has none but white space. */
    private static String strict(String body) {
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+'
                    || c == '/' || c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t';
            if (!ok) {
                throw new IllegalArgumentException();
            }
        }
        return body;
    }

    /** A PEM text of one block, body in lines of 64 characters. */
    public static String encode(String label, byte[] der) {
        return BEGIN + label + DASHES + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + DASHES + "\n";
    }
}
