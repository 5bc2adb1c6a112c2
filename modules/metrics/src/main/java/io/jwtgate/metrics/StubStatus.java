package io.jwtgate.metrics;

import io.jwtgate.core.module.ConnectionCounts;
import java.nio.charset.StandardCharsets;

/** nginx's {@code stub_status} page, byte for byte: the same lines, spaces and trailing blanks. */
final class StubStatus {

    private StubStatus() {
    }

    static byte[] page(ConnectionCounts c) {
        String text = "Active connections: " + c.active() + " \n"
                + "server accepts handled requests\n"
                + " " + c.accepts() + " " + c.handled() + " " + c.requests() + " \n"
                + "Reading: " + c.count(ConnectionCounts.State.READING)
                + " Writing: " + c.count(ConnectionCounts.State.WRITING)
                + " Waiting: " + c.count(ConnectionCounts.State.WAITING) + " \n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
