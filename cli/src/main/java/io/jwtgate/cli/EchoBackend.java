package io.jwtgate.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's upstream: a small HTTP server on 127.0.0.1 (an ephemeral port) that answers every request with a JSON
 * object of its method, URI and headers, so the demo shows what the gateway forwarded ({@code X-User-Id} among
 * the headers when the gateway set it), and plays the identity provider's JWKS endpoint. Built on the JDK's
 * {@code com.sun.net.httpserver}: it is a demo prop, not part of the gateway, and needs nothing from Netty.
 */
final class EchoBackend implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private EchoBackend(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static EchoBackend start() throws IOException {
        return start(Map.of());
    }

    /** An echo backend that also serves fixed JSON documents at the given paths (the demo's JWKS endpoint). */
    static EchoBackend start(Map<String, String> documents) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "echo-backend");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", EchoBackend::echo);
        documents.forEach((path, doc) -> server.createContext(path, x -> send(x, doc)));
        server.start();
        return new EchoBackend(server, executor);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void echo(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            in.readAllBytes();
        }
        send(x, json(x.getRequestMethod(), x.getRequestURI().toString(), x.getRequestHeaders()) + "\n");
    }

    private static void send(HttpExchange x, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * {@code {"method":"GET","uri":"/api/x","headers":{"host":"...",...}}}: header names in lower case (the JDK
     * server would show {@code X-user-id}) and sorted, repeated headers joined with {@code ", "}.
     */
    static String json(String method, String uri, Map<String, List<String>> headers) {
        StringBuilder sb = new StringBuilder("{\"method\":");
        quote(sb, method).append(",\"uri\":");
        quote(sb, uri).append(",\"headers\":{");
        boolean first = true;
        Map<String, List<String>> sorted = new TreeMap<>();
        headers.forEach((name, values) -> sorted.put(name.toLowerCase(Locale.ROOT), values));
        for (Map.Entry<String, List<String>> h : sorted.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, h.getKey()).append(':');
            quote(sb, String.join(", ", h.getValue()));
        }
        return sb.append("}}").toString();
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
