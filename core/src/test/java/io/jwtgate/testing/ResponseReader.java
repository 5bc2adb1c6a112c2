package io.jwtgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one HTTP/1.x response from a blocking stream. Malformed framing is a {@link ProtocolException}; a body cut
 * short (end of stream, reset, timeout) is recorded as incomplete instead. Not thread-safe.
 */
final class ResponseReader {

    /** Longest status, header, chunk-size or trailer line accepted: {@value} bytes. */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];

    ResponseReader(InputStream in) {
        this.in = in;
    }

    RawResponse read(boolean headRequest, boolean keepBody) throws IOException {
        StringBuilder head = new StringBuilder();
        String statusLine = readLine(head, true);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new ProtocolException("malformed status line: " + printable(statusLine));
        }
        int code = Integer.parseInt(parts[1]);
        Headers headers = readFields(head);
        BodyFraming framing = framing(code, headRequest, headers);

        BodyDigest body = new BodyDigest(keepBody ? Long.MAX_VALUE : 0);
        Headers trailers = Headers.empty();
        String incomplete = null;
        try {
            switch (framing.kind) {
                case CONTENT_LENGTH -> incomplete = copy(body, framing.length);
                case CHUNKED -> {
                    incomplete = readChunks(body);
                    if (incomplete == null) {
                        trailers = readFields(new StringBuilder());
                    }
                }
                case UNTIL_CLOSE -> copy(body, Long.MAX_VALUE);
                default -> { }
            }
        } catch (SocketTimeoutException e) {
            incomplete = "timeout";
        } catch (EOFException e) {
            incomplete = "eof";
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            incomplete = String.valueOf(e);
        }
        return new RawResponse(head.toString(), parts[0], code, parts.length > 2 ? parts[2] : "", headers, trailers,
                framing.kind, body.length(), body.sha256Hex(), keepBody ? body.keptBytes() : null, incomplete);
    }

    private record BodyFraming(RawResponse.Framing kind, long length) {
    }

    private static BodyFraming framing(int code, boolean headRequest, Headers headers) throws ProtocolException {
        if (headRequest || code < 200 || code == 204 || code == 304) {
            return new BodyFraming(RawResponse.Framing.NONE, 0);
        }
        List<String> te = headers.all("Transfer-Encoding");
        if (!te.isEmpty()) {
            String last = te.get(te.size() - 1);
            String[] codings = last.split(",");
            boolean chunked = codings[codings.length - 1].trim().toLowerCase(Locale.ROOT).equals("chunked");
            return new BodyFraming(chunked ? RawResponse.Framing.CHUNKED : RawResponse.Framing.UNTIL_CLOSE, -1);
        }
        List<String> cl = headers.all("Content-Length");
        if (!cl.isEmpty()) {
            long length = -1;
            for (String value : cl) {
                for (String v : value.split(",")) {
                    long n = parseLength(v.trim());
                    if (length >= 0 && n != length) {
                        throw new ProtocolException("conflicting Content-Length: " + cl);
                    }
                    length = n;
                }
            }
            return new BodyFraming(RawResponse.Framing.CONTENT_LENGTH, length);
        }
        return new BodyFraming(RawResponse.Framing.UNTIL_CLOSE, -1);
    }

    private static long parseLength(String v) throws ProtocolException {
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException("malformed Content-Length: " + printable(v));
        }
        return Long.parseLong(v);
    }

    /** Copies up to {@code length} bytes into {@code body}; returns "eof" if the stream ended first. */
    private String copy(BodyDigest body, long length) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return length == Long.MAX_VALUE ? null : "eof";
            }
            body.update(buffer, 0, n);
            left -= n;
        }
        return null;
    }

    private String readChunks(BodyDigest body) throws IOException {
        while (true) {
            String line = readLine(null, false);
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new ProtocolException("malformed chunk size line: " + printable(line));
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                return null;
            }
            String incomplete = copy(body, size);
            if (incomplete != null) {
                return incomplete;
            }
            String crlf = readLine(null, false);
            if (!crlf.isEmpty()) {
                throw new ProtocolException("chunk data not followed by CRLF: " + printable(crlf));
            }
        }
    }

    /** Reads header (or trailer) lines up to the blank line. */
    private Headers readFields(StringBuilder raw) throws IOException {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        while (true) {
            String line = readLine(raw, false);
            if (line.isEmpty()) {
                return Headers.of(fields);
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                    || line.substring(0, colon).chars().anyMatch(c -> c == ' ' || c == '\t')) {
                throw new ProtocolException("malformed header line: " + printable(line));
            }
            fields.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
    }

    /**
     * Reads one line ending in LF (a preceding CR is dropped), appending it with its terminator to {@code raw} if
     * given.
     *
     * @param first whether this is the status line: end of stream before any byte is then "closed before response"
     */
    private String readLine(StringBuilder raw, boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(first && line.size() == 0
                        ? "connection closed before a response" : "connection closed mid-line");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (raw != null) {
            raw.append(text).append('\n');
        }
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String printable(String s) {
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return '"' + cut.replace("\r", "\\r").replace("\n", "\\n") + '"';
    }
}
