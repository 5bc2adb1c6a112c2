package io.jwtgate.core.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /**
     * The name of a {@code Location} made absolute from a relative URL. nginx's header filter writes that one among
     * its own headers (after {@code Content-Length}) and any other {@code Location} (absolute as configured, or an
     * upstream's) where it was set; the response encoder tells them apart by this very instance.
     */
    @SuppressWarnings("StringOperationCanBeSimplified") // a distinct instance on purpose
    public static final String ABSOLUTIZED_LOCATION = new String("Location");

    /**
     * The name of the {@code Vary: Accept-Encoding} that {@code gzip_vary} adds (nginx's {@code r->gzip_vary}): nginx's
     * header filter writes it right after its own headers, before any other; the response encoder knows it by this
     * very instance.
     */
    @SuppressWarnings("StringOperationCanBeSimplified") // a distinct instance on purpose
    public static final String GZIP_VARY = new String("Vary");

    /** A header name the encoder writes among the other headers whatever it is ({@code ResponseHeaders.addListed}). */
    public record ListedName(String text) implements CharSequence {

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public Response {
        headers = List.copyOf(headers);
    }

    public static Response of(String contentType, String body) {
        return new Response(contentType, body.getBytes(StandardCharsets.UTF_8), List.of());
    }

    /**
     * This response redirecting to {@code location}, made absolute as nginx's {@code absolute_redirect} does; one
     * left relative ({@code absolute_redirect off}) stays among the other headers, where nginx writes it.
     */
    public Response withRedirect(HttpExchange x, String location) {
        String url = x.absoluteUrl(location);
        return url.startsWith("/") || !location.startsWith("/") ? withHeader("Location", url)
                : withHeader(ABSOLUTIZED_LOCATION, url);
    }

    public Response withHeader(String name, String value) {
        var h = new ArrayList<>(headers);
        h.add(new String[] {name, value});
        return new Response(contentType, body, h);
    }
}
