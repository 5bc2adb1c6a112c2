package io.jwtgate.core.server;

import io.jwtgate.core.http.WireFacts;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A client request's {@link WireFacts}: the decoder's, the connection's and the response head's counts. */
final class ExchangeWire implements WireFacts {

    private final HttpConnection conn;
    private final Channel channel;
    private final HttpRequest request;
    /** The connection's bytes sent when the request began: nginx counts {@code $bytes_sent} per request. */
    private final long sentBefore;
    private HttpHeaders sentHead;

    ExchangeWire(HttpConnection conn, Channel channel, HttpRequest request) {
        this.conn = conn;
        this.channel = channel;
        this.request = request;
        this.sentBefore = conn.bytesSent();
    }

    /** The response head went out with {@code headers}. */
    void headSent(HttpHeaders headers) {
        sentHead = headers;
    }

    @Override
    public long requestLength() {
        return request instanceof DecodedRequest d ? d.length() : 0;
    }

    @Override
    public long bytesSent() {
        return conn.bytesSent() - sentBefore;
    }

    @Override
    public long connectionNumber() {
        return conn.facts().number();
    }

    @Override
    public int connectionRequests() {
        return conn.requests();
    }

    @Override
    public long connectedAtNanos() {
        return conn.facts().connectedAt();
    }

    /**
     * nginx's {@code $sent_http_cache_control} and {@code $sent_http_link} join repeated headers; others: the first.
     * {@code Connection} and {@code Keep-Alive} are what nginx's access log shows: it has cleared the request's
     * keep-alive flag by then, so {@code close} and nothing.
     */
    @Override
    public String sentHeader(String name) {
        if (sentHead == null || name.equalsIgnoreCase("server") || name.equalsIgnoreCase("date")
                || name.equalsIgnoreCase("keep_alive")) {
            return null;
        }
        if (name.equalsIgnoreCase("connection")) {
            return "close";
        }
        List<String> values = null;
        for (Map.Entry<String, String> e : sentHead) {
            if (sameName(e.getKey(), name)) {
                if (!joined(name)) {
                    return e.getValue();
                }
                values = values == null ? new ArrayList<>() : values;
                values.add(e.getValue());
            }
        }
        return values == null ? null : String.join(", ", values);
    }

    private static boolean joined(String name) {
        return name.equalsIgnoreCase("cache_control")
                || name.equalsIgnoreCase("link");
    }

    /** A header name against a variable's: case-insensitive, {@code -} in the header matching {@code _}. */
    private static boolean sameName(String header, String variable) {
        if (header.length() != variable.length()) {
            return false;
        }
        for (int i = 0; i < header.length(); i++) {
            char h = Character.toLowerCase(header.charAt(i));
            char v = Character.toLowerCase(variable.charAt(i));
            if (h != v && !(h == '-' && v == '_')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String tcpInfo(String field) {
        if (!(channel instanceof EpollSocketChannel ch)) {
            return null;
        }
        EpollTcpInfo info = ch.tcpInfo();
        long value = switch (field) {
            case "rtt" -> info.rtt();
            case "rttvar" -> info.rttvar();
            case "snd_cwnd" -> info.sndCwnd();
            case "rcv_space" -> info.rcvSpace();
            default -> -1;
        };
        return value < 0 ? null : Long.toString(value);
    }
}
