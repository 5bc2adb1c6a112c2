package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.SideBySide;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Raw requests that nginx refuses, drops parts of, or closes on, sent to stock nginx and to jwtgate configured
 * alike: the status line, the body where it shows what the request looked like to the server, and whether the
 * connection was closed within a few seconds. jwtgate may be stricter than nginx only where a case says so.
 */
class RequestParsingDifferentialTest {

    /** How long a case waits for the server to close: well under any timeout in the configuration. */
    static final int CLOSE_WAIT_MS = 3000;
    /** How long a case waits for the first byte of an answer (the first request to a fresh gateway is slow). */
    static final int ANSWER_WAIT_MS = 10_000;

    static final String HEADERS_SERVERS = """
            server {
                listen 127.0.0.1:%1$d;
                %2$s
                location / { return 200 "u=[$http_x_user] d=[$http_x_dash]\\n"; }
            }
            server {
                listen 127.0.0.1:%1$d;
                server_name other;
                underscores_in_headers on;
                ignore_invalid_headers off;
                location / { return 200 "other u=[$http_x_user]\\n"; }
            }
            """;

    /**
     * Which server's settings judge a header line: the default server's (or the absolute-form target's server's)
     * until the Host header, then the one Host names.
     */
    static final String[] SERVER_ORDER = {
        "GET / HTTP/1.1\r\nX_User: before\r\nHost: other\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: other\r\nX_User: after\r\nConnection: close\r\n\r\n",
        "GET http://other/ HTTP/1.1\r\nX_User: line\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET http://a/ HTTP/1.1\r\nHost: other\r\nX_User: line\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: OTHER:80\r\nX_User: after\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.0\r\nX_User: none\r\n\r\n",
    };

    /**
     * Header names with every byte in the middle, under nginx's defaults, with underscores allowed and with invalid
     * headers passed on, on the default server and on another with the opposite settings.
     */
    @Test
    void headerNamesAsNginx() throws Exception {
        List<String> diffs = new ArrayList<>();
        for (String directives : new String[] {"", "underscores_in_headers on;", "ignore_invalid_headers off;"}) {
            try (SideBySide pair = SideBySide.start(port -> HEADERS_SERVERS.formatted(port, directives),
                    CoreModules::create)) {
                for (int b = 0; b < 256; b++) {
                    for (String host : new String[] {"a", "other"}) {
                        String request = "GET / HTTP/1.1\r\nHost: " + host + "\r\nX-Dash: d\r\nX"
                                + (char) b + "User: admin\r\nConnection: close\r\n\r\n";
                        Answer nginx = send(pair.nginxPort(), request);
                        Answer jwtgate = send(pair.gatewayPort(), request);
                        // Netty's decoder takes RFC 9110 token characters only: for any other byte jwtgate answers
                        // 400 where nginx drops the header (docs/configuration.md, "Differs")
                        boolean stricter = jwtgate.status.equals("400") && !isTokenChar(b);
                        if (!nginx.equals(jwtgate) && !stricter) {
                            diffs.add(directives + " Host: " + host + " name " + Integer.toHexString(b) + ": nginx "
                                    + nginx + ", jwtgate " + jwtgate);
                        }
                    }
                }
                for (String request : SERVER_ORDER) {
                    Answer nginx = send(pair.nginxPort(), request);
                    Answer jwtgate = send(pair.gatewayPort(), request);
                    if (!nginx.equals(jwtgate)) {
                        diffs.add(directives + " " + request.strip() + ": nginx " + nginx + ", jwtgate " + jwtgate);
                    }
                }
            }
        }
        assertThat(diffs).as("header names answered unlike nginx").isEmpty();
    }

    static final String TARGET_SERVER = """
            server {
                listen 127.0.0.1:%d;
                location / { return 200 "uri=[$request_uri] args=[$args] request=[$request]\\n"; }
            }
            """;

    /**
     * Every control byte, DEL and every byte 0x80-0xFF at the start of the path, in it, in the query and in the
     * fragment. Where nginx takes a line feed as the end of an HTTP/0.9 request line jwtgate answers 400.
     */
    @Test
    void targetBytesAsNginx() throws Exception {
        String[] targets = {"/%sa", "/a%sb", "/a?x%sy", "/a#x%sy"};
        List<String> diffs = new ArrayList<>();
        int refused = 0;
        try (SideBySide pair = SideBySide.start(TARGET_SERVER::formatted, CoreModules::create)) {
            for (String target : targets) {
                for (int b = 0; b < 256; b++) {
                    if (b > 0x20 && b < 0x7f) {
                        continue;
                    }
                    String request = "GET " + target.formatted((char) b) + " HTTP/1.1\r\nHost: a\r\n"
                            + "Connection: close\r\n\r\n";
                    Answer nginx = send(pair.nginxPort(), request);
                    Answer jwtgate = send(pair.gatewayPort(), request);
                    // where nginx reads a line feed as the end of an HTTP/0.9 request line, and for a path that is not
                    // UTF-8 (docs/configuration.md, "Differs"), jwtgate answers 400
                    boolean pathNotUtf8 = b >= 0x80 && target.indexOf('?') < 0 && target.indexOf('#') < 0;
                    boolean stricter = (nginx.status.equals("no status line") || pathNotUtf8)
                            && jwtgate.status.equals("400") && jwtgate.closed;
                    // the body shows $request_uri byte for byte
                    if (!(nginx.sameOutcome(jwtgate) && nginx.body.equals(jwtgate.body)) && !stricter) {
                        diffs.add(target + " byte " + Integer.toHexString(b) + ": nginx " + nginx + ", jwtgate "
                                + jwtgate);
                    }
                    refused += nginx.status.equals("400") ? 1 : 0;
                }
            }
        }
        assertThat(diffs).as("request targets answered unlike nginx").isEmpty();
        assertThat(refused).as("cases nginx refuses: 32 bytes (all controls but LF, space, DEL) in 4 places")
                .isEqualTo(4 * 33);
    }

    static final String BODY_SERVER = """
            server {
                listen 127.0.0.1:%d;
                keepalive_timeout 75s;
                location /deny { return 401; }
            }
            """;

    static final String CHUNKED = "POST /deny HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    static final String NEXT = "GET /deny HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    /**
     * A request answered before its body was read (401), then a chunked body that turns out malformed: nginx closes
     * the connection as the bad chunk arrives, not at {@code keepalive_timeout}. A well-formed body is read and thrown
     * away, and the next request on the connection is answered. Each case: what is sent with the head, and what is
     * sent once the answer has arrived.
     */
    static final String[][] EARLY_ANSWER = {
        {CHUNKED + "zz\r\nabc\r\n", ""},
        {CHUNKED, "zz\r\nabc\r\n"},
        {CHUNKED + "3\r\nabc\r\n", "3x\r\nabc\r\n"},
        {CHUNKED + "3\r\nabc", "XY0\r\n\r\n"},
        {CHUNKED, "3\r\nabc\r\n0\r\n\r\n" + NEXT},
        {CHUNKED + "3\r\nabc\r\n0\r\n\r\n" + NEXT, ""},
    };

    @Test
    void malformedBodyAfterAnEarlyAnswerClosesAsNginx() throws Exception {
        List<String> diffs = new ArrayList<>();
        int closed = 0;
        try (SideBySide pair = SideBySide.start(BODY_SERVER::formatted, CoreModules::create)) {
            for (String[] c : EARLY_ANSWER) {
                Answer nginx = sendInTwo(pair.nginxPort(), c[0], c[1]);
                Answer jwtgate = sendInTwo(pair.gatewayPort(), c[0], c[1]);
                if (!nginx.sameOutcome(jwtgate) || nginx.answers != jwtgate.answers) {
                    diffs.add(String.join(" | ", c).strip() + ": nginx " + nginx + ", jwtgate " + jwtgate);
                }
                closed += nginx.closed ? 1 : 0;
            }
        }
        assertThat(diffs).as("early answers unlike nginx's").isEmpty();
        assertThat(closed).as("cases nginx closes within %d ms", CLOSE_WAIT_MS).isEqualTo(EARLY_ANSWER.length);
    }

    /** RFC 9110's {@code tchar}: what Netty accepts in a header name. */
    static boolean isTokenChar(int b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
                || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    /** A response as far as the cases compare it. */
    record Answer(String status, String body, boolean closed, int answers) {
        boolean sameOutcome(Answer other) {
            return status.equals(other.status) && closed == other.closed;
        }

        @Override
        public String toString() {
            return status + " " + body.strip() + (answers > 1 ? " and " + (answers - 1) + " more" : "")
                    + (closed ? " (closed)" : " (open)");
        }
    }

    /**
     * Sends {@code request} (one char per byte) on a new connection and reads until the server closes, or for
     * {@link #CLOSE_WAIT_MS} after the first byte ({@link #ANSWER_WAIT_MS} before it). The status is the code of the
     * status line, {@code "none"} when nothing came, {@code "no status line"} when bytes came without one (nginx's
     * HTTP/0.9 answer); error pages' bodies are left out, as their signatures differ.
     */
    static Answer send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(ANSWER_WAIT_MS);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return read(s);
        }
    }

    /**
     * As {@link #send}, the request written in {@code pieces}, each in a segment of its own (a pause between them, as
     * a slow client would leave).
     */
    static Answer sendInPieces(int port, String... pieces) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(ANSWER_WAIT_MS);
            s.setTcpNoDelay(true);
            for (String piece : pieces) {
                s.getOutputStream().write(piece.getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(PIECE_PAUSE_MS);
            }
            return read(s);
        }
    }

    /** The pause between two pieces of a request in {@link #sendInPieces}. */
    static final int PIECE_PAUSE_MS = 100;

    /** As {@link #send}, with {@code then} written once the first bytes of an answer have arrived. */
    static Answer sendInTwo(int port, String first, String then) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(ANSWER_WAIT_MS);
            s.getOutputStream().write(first.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n = s.getInputStream().read(buf);
            if (n > 0) {
                got.write(buf, 0, n);
                s.setSoTimeout(CLOSE_WAIT_MS);
                try {
                    s.getOutputStream().write(then.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException closedMeanwhile) {
                    // the rest of the answer, or the end, is read below
                }
            }
            return n < 0 ? answer("", true) : read(s, got);
        }
    }

    static Answer read(Socket s) throws IOException {
        return read(s, new ByteArrayOutputStream());
    }

    static Answer read(Socket s, ByteArrayOutputStream got) throws IOException {
        InputStream in = s.getInputStream();
        boolean closed;
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                s.setSoTimeout(CLOSE_WAIT_MS);
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException reset) {
            closed = true;
        }
        return answer(got.toString(StandardCharsets.ISO_8859_1), closed);
    }

    private static Answer answer(String text, boolean closed) {
        if (text.isEmpty()) {
            return new Answer("none", "", closed, 0);
        }
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer("no status line", text, closed, 0);
        }
        String status = text.substring(9, 12);
        int bodyAt = text.indexOf("\r\n\r\n");
        String body = bodyAt < 0 || status.charAt(0) != '2' ? "" : text.substring(bodyAt + 4);
        return new Answer(status, body, closed, text.split("HTTP/1.1 ", -1).length - 1);
    }
}
