package io.jwtgate.testing;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A blocking HTTP/1.x client over a plain {@link Socket} to {@code 127.0.0.1}, for tests. It writes bytes exactly as
 * given (malformed, pipelined or split requests) and parses responses strictly enough to check framing.
 *
 * <p>I/O failures are thrown as {@link UncheckedIOException}: the cause is an {@link java.io.EOFException} when the
 * server closed before a complete response head, a {@link SocketException} on reset, a
 * {@link SocketTimeoutException} when the read timeout (default {@link #DEFAULT_READ_TIMEOUT}) passed, and a
 * {@link java.net.ProtocolException} for a malformed response head or chunk framing. A body cut short is not an
 * error: see {@link RawResponse#isBodyComplete()}. Not thread-safe.
 */
public final class RawHttpClient implements AutoCloseable {

    /** Read timeout unless {@link #readTimeout(Duration)} sets another: 10 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private static final int PIECE = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ResponseReader reader;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), PIECE);
        this.out = socket.getOutputStream();
        this.reader = new ResponseReader(in);
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static RawHttpClient connect(int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) DEFAULT_READ_TIMEOUT.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEFAULT_READ_TIMEOUT.toMillis());
            return new RawHttpClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("connect to 127.0.0.1:" + port, e);
        }
    }

    /**
     * Sends {@code GET path HTTP/1.1} with {@code Host: localhost}, the given header lines (each without CRLF) and
     * {@code Connection: close} on a new connection, and reads the response.
     */
    public static RawResponse get(int port, String path, String... headerLines) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (RawHttpClient client = connect(port)) {
            return client.send(request.toString()).readResponse();
        }
    }

    /** Sets the read timeout for every later read. */
    public RawHttpClient readTimeout(Duration timeout) {
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes {@code rawAscii} as ISO-8859-1 bytes (one byte per char), exactly as given. */
    public RawHttpClient send(String rawAscii) {
        return send(rawAscii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code bytes} exactly as given. */
    public RawHttpClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes {@code totalBytes} {@link PseudoRandomBytes} in 64 KiB pieces, unframed (the caller sent a matching
     * {@code Content-Length}).
     *
     * @return the lower-case hex SHA-256 of the bytes sent, equal to {@link PseudoRandomBytes#sha256(long)}
     */
    public String sendBody(long totalBytes) {
        return upload(totalBytes, false);
    }

    /**
     * Writes {@code totalBytes} {@link PseudoRandomBytes} as chunked encoding, one chunk per 64 KiB piece, then the
     * last chunk {@code 0\r\n\r\n} (the caller sent {@code Transfer-Encoding: chunked}).
     *
     * @return the lower-case hex SHA-256 of the body bytes sent (not of the chunk framing)
     */
    public String sendChunkedBody(long totalBytes) {
        return upload(totalBytes, true);
    }

    private String upload(long totalBytes, boolean chunked) {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes: " + totalBytes + " (expected: >= 0)");
        }
        MessageDigest sha256 = BodyDigest.newSha256();
        PseudoRandomBytes bytes = new PseudoRandomBytes();
        byte[] piece = new byte[PIECE];
        try {
            for (long left = totalBytes; left > 0; ) {
                int n = (int) Math.min(PIECE, left);
                bytes.nextBytes(piece, 0, n);
                sha256.update(piece, 0, n);
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(piece, 0, n);
                if (chunked) {
                    out.write('\r');
                    out.write('\n');
                }
                left -= n;
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Reads one response to a request that was not {@code HEAD}, keeping its body. */
    public RawResponse readResponse() {
        return readResponse(false);
    }

    /** Reads one response, keeping its body; a response to {@code HEAD} ({@code headRequest}) has no body. */
    public RawResponse readResponse(boolean headRequest) {
        return read(headRequest, true);
    }

    /** Reads one response to a non-{@code HEAD} request, counting and hashing its body without keeping it. */
    public RawResponse readResponseDiscardingBody() {
        return read(false, false);
    }

    private RawResponse read(boolean headRequest, boolean keepBody) {
        try {
            return reader.read(headRequest, keepBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns {@link #isClosedByPeer(Duration)} with a one-second wait. */
    public boolean isClosedByPeer() {
        return isClosedByPeer(Duration.ofSeconds(1));
    }

    /**
     * Reads and drops whatever arrives until end of stream, for at most {@code wait}.
     *
     * @return true if the server closed the connection (end of stream or reset), false if it was still open
     */
    public boolean isClosedByPeer(Duration wait) {
        requireNonNull(wait, "wait");
        int previous;
        try {
            previous = socket.getSoTimeout();
        } catch (SocketException e) {
            return true;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] sink = new byte[PIECE];
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                socket.setSoTimeout(previous);
            } catch (SocketException ignored) {
                // closed meanwhile; nothing to restore
            }
        }
    }

    /** Half-closes: sends FIN, so the server sees end of stream, while responses can still be read. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the client's local port, to tell connections apart. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do in a test fixture
        }
    }
}
