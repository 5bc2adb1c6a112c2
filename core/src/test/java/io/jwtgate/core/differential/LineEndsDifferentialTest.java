package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.differential.RequestParsingDifferentialTest.Answer;
import io.jwtgate.testing.SideBySide;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request heads whose lines end in a bare LF, a bare CR or more than one CR, and folded header lines, sent on raw
 * sockets to stock nginx and to jwtgate configured alike (docs/configuration.md, "Request heads"). A chunked body's
 * framing with bare LFs, which nginx takes and jwtgate refuses, is in {@code RequestDecoderTest}: here the answer
 * comes before the body is read, so the refusal would not show.
 */
class LineEndsDifferentialTest {

    static final String SERVER = """
            server {
                listen 127.0.0.1:%d;
                location / { return 200 "u=[$http_x_user] d=[$http_x_dash] len=[$content_length] $request\\n"; }
                location /chunked { return 200 "u=[$http_x_user] $request\n"; }
            }
            """;

    /** Heads nginx and jwtgate answer alike: status, body (the headers as read) and whether the connection closed. */
    static final String[] SAME = {
        "GET / HTTP/1.1\nHost: a\nX-User: u\nConnection: close\n\n",
        "GET / HTTP/1.1\r\nHost: a\nX-User: u\r\nConnection: close\n\r\n",
        "GET / HTTP/1.1\nHost: a\r\nX-User: u\nConnection: close\r\n\n",
        "\n\r\nGET / HTTP/1.1\nHost: a\nConnection: close\n\n",
        "GET / HTTP/1.0\n\n",
        "GET /?a=1 HTTP/1.1\nHost: a\nX-User:\nX-Dash: d \nConnection: close\n\n",
        // two requests, the first kept alive, both with bare LFs
        "GET /1 HTTP/1.1\nHost: a\nX-User: one\n\nGET /2 HTTP/1.1\nHost: a\nX-User: two\nConnection: close\n\n",
        // a body after a bare-LF head, then the next request
        "POST / HTTP/1.1\nHost: a\nContent-Length: 5\n\nhello"
            + "GET /2 HTTP/1.1\nHost: a\nConnection: close\n\n",
        // a chunked body framed as nginx and Netty both take it
        "POST /chunked HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n3\r\nabc\r\n0\r\n\r\n"
            + "GET /2 HTTP/1.1\nHost: a\nConnection: close\n\n",
        // refused by both: a CR not followed by LF, in the request line and in header lines
        "GET / HTTP/1.1\rHost: a\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET /\rx HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-User: a\rb\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\nX-User: a\rX-Dash: d\nConnection: close\n\n",
        "GET / HTTP/1.1\nHost: a\nX-User\r: a\nConnection: close\n\n",
        "GET / HTTP/1.1\nHost: a\nConnection: close\n\r\r\n",
        "GET / HTTP/1.1\nHost: a\nConnection: close\n\rx\n\n",
        // obs-fold, which Netty would join to the previous header
        "GET / HTTP/1.1\r\nHost: a\r\nX-User: a\r\n b\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\nX-User: a\n\tb\nConnection: close\n\n",
        "GET / HTTP/1.1\nHost: a\n X-User: a\nConnection: close\n\n",
        "GET / HTTP/1.1\nHost: a\n: a\nConnection: close\n\n",
    };

    /** nginx takes these; jwtgate answers 400 and closes (docs/configuration.md, "Request heads", Differs). */
    static final String[] STRICTER = {
        // more than one CR before a header line's LF
        "GET / HTTP/1.1\r\nHost: a\r\nX-User: u\r\r\nConnection: close\r\n\r\n",
    };

    @Test
    void lineEndsAsNginx() throws Exception {
        List<String> diffs = new ArrayList<>();
        int accepted = 0;
        try (SideBySide pair = SideBySide.start(SERVER::formatted, CoreModules::create)) {
            for (String request : SAME) {
                Answer nginx = masked(RequestParsingDifferentialTest.send(pair.nginxPort(), request));
                Answer jwtgate = masked(RequestParsingDifferentialTest.send(pair.gatewayPort(), request));
                if (!nginx.equals(jwtgate)) {
                    diffs.add(escaped(request) + ": nginx " + nginx + ", jwtgate " + jwtgate);
                }
                accepted += nginx.status().equals("200") ? 1 : 0;
            }
            for (String request : STRICTER) {
                Answer nginx = RequestParsingDifferentialTest.send(pair.nginxPort(), request);
                Answer jwtgate = RequestParsingDifferentialTest.send(pair.gatewayPort(), request);
                if (!nginx.status().equals("200") || !jwtgate.status().equals("400") || !jwtgate.closed()) {
                    diffs.add("stricter " + escaped(request) + ": nginx " + nginx + ", jwtgate " + jwtgate);
                }
            }
        }
        assertThat(diffs).as("line ends answered unlike nginx").isEmpty();
        assertThat(accepted).as("cases nginx answers 200").isEqualTo(9);
    }

    /** The head of a refused request in pieces, the bad CR in a piece of its own: still refused, as a whole head. */
    @Test
    void headInPiecesAsNginx() throws Exception {
        String[][] cases = {
            {"GET / HTTP/1.1\nHost: a\nX-User: u", "\r", "x\nConnection: close\n\n"},
            {"GET / HTTP/1.1\nHo", "st: a\nX-User: u\n", "Connection: close\n\n"},
            {"GET / HTTP/1.1\r", "\nHost: a\n", " folded\nConnection: close\n\n"},
        };
        List<String> diffs = new ArrayList<>();
        try (SideBySide pair = SideBySide.start(SERVER::formatted, CoreModules::create)) {
            for (String[] c : cases) {
                Answer nginx = masked(RequestParsingDifferentialTest.sendInPieces(pair.nginxPort(), c));
                Answer jwtgate = masked(RequestParsingDifferentialTest.sendInPieces(pair.gatewayPort(), c));
                if (!nginx.equals(jwtgate)) {
                    diffs.add(escaped(String.join("|", c)) + ": nginx " + nginx + ", jwtgate " + jwtgate);
                }
            }
        }
        assertThat(diffs).as("heads in pieces answered unlike nginx").isEmpty();
    }

    /** The answer with the heads of later responses in its body masked ({@link SideBySide#masked(String)}). */
    static Answer masked(Answer a) {
        return new Answer(a.status(), SideBySide.masked(a.body()), a.closed(), a.answers());
    }

    static String escaped(String request) {
        return request.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
