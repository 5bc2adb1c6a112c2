package io.jwtgate.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * nginx's {@code r->upstream_states}: one entry per try of a proxied request (a peer connected to, or the group's
 * name when no live peer was left), which the {@code $upstream_*} variables list, {@code , }-separated, as nginx
 * 1.22's {@code ngx_http_upstream_*_variable} do (docs/proxy.md, "Variables"). A try begins when its peer is picked
 * and ends when the next one begins or the request's upstream part ends. Kept across internal redirects: the tries
 * of each location that proxies are a group, the groups {@code  : }-separated.
 *
 * <p>Lives on the client's event loop only.
 */
final class UpstreamStates {

    /** A time not taken (the try did not get that far), printed {@code -}. */
    private static final long UNSET = -1;

    /** The variables, each with how it reads a try. */
    enum Value {
        ADDR("upstream_addr", null, false),
        STATUS("upstream_status", null, false),
        CONNECT_TIME("upstream_connect_time", s -> s.connectMs, true),
        HEADER_TIME("upstream_header_time", s -> s.headerMs, true),
        RESPONSE_TIME("upstream_response_time", s -> s.responseMs, true),
        RESPONSE_LENGTH("upstream_response_length", s -> s.responseLength, false),
        BYTES_RECEIVED("upstream_bytes_received", s -> s.bytesReceived, false),
        BYTES_SENT("upstream_bytes_sent", s -> s.bytesSent, false);

        final String variable;
        private final ToLongFunction<State> read;
        private final boolean millis;

        Value(String variable, ToLongFunction<State> read, boolean millis) {
            this.variable = variable;
            this.read = read;
            this.millis = millis;
        }
    }

    /** nginx's {@code ngx_http_upstream_state_t}. */
    private static final class State {
        final String peer;
        /** The series the try counts into, or {@code null} (no live server was left). */
        final UpstreamMetrics.Server series;
        final long startNanos = System.nanoTime();
        int status;
        /** The status of the response head the try got, 0 for none. */
        int responded;
        long connectMs = UNSET;
        long headerMs = UNSET;
        long responseMs = UNSET;
        long responseLength;
        long bytesReceived;
        long bytesSent;
        /** The try's connection while the try lasts, and its counts when the try took it. */
        WireCounter wire;
        long receivedBefore;
        long sentBefore;
        /** Where the body began in the connection's received count once the response goes on, else {@code -1}. */
        long bodyFrom = UNSET;

        State(String peer, UpstreamMetrics.Server series) {
            this.peer = peer;
            this.series = series;
        }

        long elapsedMs() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }
    }

    /** The tries in order; {@code null} separates the groups of two locations. */
    private final List<State> states = new ArrayList<>(1);
    private State current;

    /** The request was redirected internally and proxies again: the tries that follow are a new group. */
    void redirected() {
        end();
        if (!states.isEmpty()) {
            states.add(null); // nginx's separator entry, which has no peer
            current = null;
        }
    }

    /**
     * A new try, of {@code peer} ({@code ip:port}, or the group's name when none was left), counted into
     * {@code series} ({@code null} when none was left); ends the previous.
     */
    void begin(String peer, UpstreamMetrics.Server series) {
        end();
        current = new State(peer, series);
        states.add(current);
        if (series != null) {
            series.tried();
        }
    }

    /** The try's status: the response's, or the one its failure gives (502, 504). */
    void status(int status) {
        current.status = status;
    }

    /** The try's request goes on {@code h}, a new or a kept-alive connection: it is connected. */
    void connected(UpstreamHandler h) {
        State s = current;
        if (s.connectMs == UNSET) {
            s.connectMs = s.elapsedMs();
        }
        s.wire = h.wire;
        s.receivedBefore = h.wire.received;
        s.sentBefore = h.wire.sent;
    }

    /** The final response head, of {@code status}, arrived whole. */
    void headerReceived(int status) {
        current.headerMs = current.elapsedMs();
        current.responded = status;
    }

    /**
     * The response goes on to the client; its body, as the upstream framed it, follows the {@code unread} bytes the
     * decoder holds after the head.
     */
    void bodyStarts(int unread) {
        State s = current;
        s.bodyFrom = s.wire.received - unread;
    }

    /** Ends the current try, if one is running: its time and byte counts are taken now, and it is counted. */
    void end() {
        State s = current;
        if (s == null || s.responseMs != UNSET) {
            return;
        }
        s.responseMs = s.elapsedMs();
        if (s.series != null) {
            s.series.ended(s.responded, s.responseMs);
        }
        WireCounter w = s.wire;
        if (w != null) {
            s.bytesReceived = w.received - s.receivedBefore;
            s.bytesSent = w.sent - s.sentBefore;
            s.responseLength = s.bodyFrom == UNSET ? 0 : w.received - s.bodyFrom;
            s.wire = null;
        }
    }

    /** The variable's value, or {@code null} (not found) before any try. */
    String format(Value v) {
        if (states.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (State s : states) {
            if (s == null) {
                sb.append(" : ");
                first = true;
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            switch (v) {
                case ADDR -> sb.append(s.peer);
                case STATUS -> {
                    if (s.status == 0) {
                        sb.append('-');
                    } else {
                        sb.append(s.status);
                    }
                }
                default -> append(sb, v, v.read.applyAsLong(s));
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Value v, long n) {
        if (!v.millis) {
            sb.append(n);
        } else if (n == UNSET) {
            sb.append('-');
        } else {
            // seconds with three decimals, as nginx's "%T.%03M"
            long ms = n % 1000;
            sb.append(n / 1000).append('.').append(ms < 10 ? "00" : ms < 100 ? "0" : "").append(ms);
        }
    }
}
