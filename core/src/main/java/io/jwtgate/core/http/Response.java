package io.jwtgate.core.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small response produced inside the gateway (an error page, a JWT rejection, a {@code return}), kept as bytes so
 * that constant responses are encoded once.
 *
 * @param contentType the {@code Content-Type}, or {@code null} for none
 * @param body the body bytes
 * @param headers extra headers as name/value pairs
 */
public record Response(String contentType, byte[] body, List<String[]> headers) {

    public Response {
        headers = List.copyOf(headers);
    }

    public static Response of(String contentType, String body) {
        return new Response(contentType, body.getBytes(StandardCharsets.UTF_8), List.of());
    }

    public Response withHeader(String name, String value) {
        var h = new java.util.ArrayList<>(headers);
        h.add(new String[] {name, value});
        return new Response(contentType, body, h);
    }
}
