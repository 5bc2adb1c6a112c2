package io.jwtgate.testing;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@link TestBackend} answers one request. Immutable; {@link #header} returns a new reply.
 *
 * <p>Framing headers are added unless the reply already sets them with {@link #header}: {@code Content-Length} for
 * sized bodies, {@code Transfer-Encoding: chunked} for chunked ones (to an HTTP/1.0 request the body is sent
 * unframed and the connection closed instead), and {@code Connection: close} / {@code keep-alive} as the request
 * asks. A reply carrying {@code Connection: close} closes the connection after it is sent. Streamed bodies are
 * {@link PseudoRandomBytes} from the default seed, so their hash is {@link PseudoRandomBytes#sha256(long)}.
 * To a {@code HEAD} request only the head is sent.
 */
public final class Reply {

    /** Size of each piece of a streamed body: 64 KiB. */
    public static final int STREAM_PIECE = 64 * 1024;

    enum Kind { ECHO, FIXED, CHUNKED, STREAM, STREAM_CHUNKED, CLOSE_MID_BODY, DELAY, RESET, CLOSE, GARBAGE, NEVER }

    final Kind kind;
    final int status;
    final List<Map.Entry<String, String>> headers;
    final byte[] body;
    final List<String> chunks;
    final long length;
    final long sent;
    final Duration delay;
    final Reply inner;

    private Reply(Kind kind, int status, List<Map.Entry<String, String>> headers, byte[] body, List<String> chunks,
            long length, long sent, Duration delay, Reply inner) {
        this.kind = kind;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.chunks = chunks;
        this.length = length;
        this.sent = sent;
        this.delay = delay;
        this.inner = inner;
    }

    private static Reply of(Kind kind, int status, byte[] body, List<String> chunks, long length, long sent) {
        return new Reply(kind, status, List.of(), body, chunks, length, sent, null, null);
    }

    /**
     * 200 with {@code Content-Type: application/json} and a body describing the request:
     * {@code {"method":..,"uri":..,"version":..,"headers":{name:[values]},"bodyLength":N,"bodySha256":".."}}.
     */
    public static Reply echo() {
        return of(Kind.ECHO, 200, null, null, 0, 0);
    }

    /** {@code code} with {@code body} (UTF-8, {@code Content-Type: text/plain; charset=utf-8} if non-empty). */
    public static Reply status(int code, String body) {
        requireNonNull(body, "body");
        return of(Kind.FIXED, checkStatus(code), body.getBytes(StandardCharsets.UTF_8), null, 0, 0);
    }

    /** {@code code} with {@code body} as given (binary: a gzipped body, say), typed as {@link #status} types it. */
    public static Reply bytes(int code, byte[] body) {
        requireNonNull(body, "body");
        return of(Kind.FIXED, checkStatus(code), body.clone(), null, 0, 0);
    }

    /** {@code code} with a chunked body, one chunk per element (empty elements are skipped). */
    public static Reply chunked(int code, List<String> chunks) {
        return of(Kind.CHUNKED, checkStatus(code), null, List.copyOf(chunks), 0, 0);
    }

    /** 200 with {@code Content-Length: bytes} and a pseudo-random body written in 64 KiB pieces with backpressure. */
    public static Reply stream(long bytes) {
        return of(Kind.STREAM, 200, null, null, checkNotNegative(bytes, "bytes"), 0);
    }

    /** Like {@link #stream(long)}, but chunked: one 64 KiB chunk per piece. */
    public static Reply streamChunked(long bytes) {
        return of(Kind.STREAM_CHUNKED, 200, null, null, checkNotNegative(bytes, "bytes"), 0);
    }

    /** Sends {@code reply} after {@code delay}, without blocking the event loop. */
    public static Reply delay(Duration delay, Reply reply) {
        requireNonNull(delay, "delay");
        requireNonNull(reply, "reply");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        return new Reply(Kind.DELAY, 0, List.of(), null, null, 0, 0, delay, reply);
    }

    /** {@code code} declaring {@code Content-Length: declaredLength}, sending only {@code sentBytes}, then closing. */
    public static Reply closeMidBody(int code, long declaredLength, long sentBytes) {
        checkNotNegative(sentBytes, "sentBytes");
        if (declaredLength <= sentBytes) {
            throw new IllegalArgumentException(
                    "declaredLength: " + declaredLength + " (expected: > sentBytes " + sentBytes + ")");
        }
        return of(Kind.CLOSE_MID_BODY, checkStatus(code), null, null, declaredLength, sentBytes);
    }

    /** Closes the connection with {@code SO_LINGER 0}, so the peer gets a TCP RST, without answering. */
    public static Reply reset() {
        return of(Kind.RESET, 0, null, null, 0, 0);
    }

    /** Closes the connection (FIN) without answering. */
    public static Reply close() {
        return of(Kind.CLOSE, 0, null, null, 0, 0);
    }

    /** Writes {@code not http at all\r\n\r\n} and closes. */
    public static Reply garbage() {
        return of(Kind.GARBAGE, 0, null, null, 0, 0);
    }

    /** Never answers; the connection stays open and further requests on it are read and ignored. */
    public static Reply never() {
        return of(Kind.NEVER, 0, null, null, 0, 0);
    }

    /**
     * Returns this reply with one more header line (repeatable, for multi-valued headers). Setting
     * {@code Content-Length}, {@code Transfer-Encoding}, {@code Content-Type} or {@code Connection} replaces the
     * default; a wrong {@code Content-Length} is sent as is.
     *
     * @throws IllegalStateException if this reply sends no response head (reset, close, garbage, never)
     */
    public Reply header(String name, String value) {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        if (kind == Kind.DELAY) {
            return new Reply(kind, status, headers, body, chunks, length, sent, delay, inner.header(name, value));
        }
        if (status == 0) {
            throw new IllegalStateException("a " + kind + " reply sends no headers");
        }
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new Reply(kind, status, List.copyOf(more), body, chunks, length, sent, delay, inner);
    }

    boolean hasHeader(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static int checkStatus(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("code: " + code + " (expected: 100-999)");
        }
        return code;
    }

    private static long checkNotNegative(long n, String name) {
        if (n < 0) {
            throw new IllegalArgumentException(name + ": " + n + " (expected: >= 0)");
        }
        return n;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DELAY -> "delay(" + delay + ", " + inner + ")";
            case FIXED, ECHO, CHUNKED -> kind + "(" + status + ")";
            case STREAM, STREAM_CHUNKED -> kind + "(" + length + ")";
            case CLOSE_MID_BODY -> kind + "(" + status + ", " + length + ", " + sent + ")";
            default -> kind.toString();
        };
    }
}
