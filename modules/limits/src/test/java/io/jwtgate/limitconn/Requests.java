package io.jwtgate.limitconn;

import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Requests of the limit_conn tests, and their responses as a transcript line. */
final class Requests {

    private Requests() {
    }

    /** Sends a request for {@code path} with the header lines given, leaving its response to read later. */
    static RawHttpClient send(int port, String path, String... headerLines) {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return RawHttpClient.connect(port).send(request.append("Connection: close\r\n\r\n").toString());
    }

    /**
     * The response of {@code client} as the transcript shows it: status, {@code X-LC} and the body of a backend's
     * answer (error pages are compared whole where a scenario wants them, {@link SideBySide#masked}).
     */
    static String read(RawHttpClient client) {
        try (client) {
            RawResponse r = client.readResponse();
            return r.code() + " [" + r.headers().first("X-LC") + "] "
                    + (r.code() < 300 ? new String(r.body(), StandardCharsets.ISO_8859_1).trim() : "");
        }
    }

    /** Sends and reads one request at once. */
    static String get(int port, String path, String... headerLines) {
        return read(send(port, path, headerLines));
    }

    /**
     * Asks for {@code path} until it is not refused with 503, for at most ten seconds: a slot comes back when the
     * server has noticed that a client went away, which takes it an event-loop turn or a few.
     */
    static String untilServed(int port, String path, String... headerLines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String answer;
        do {
            answer = get(port, path, headerLines);
            if (!answer.startsWith("503")) {
                return answer;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return answer;
    }
}
