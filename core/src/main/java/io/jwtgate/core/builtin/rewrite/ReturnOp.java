package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.var.ComplexValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code return code [text|URL]} and {@code return URL}: the script ends with a response, as nginx's
 * {@code ngx_http_send_response}. A redirect and a code of 400 or more without text end the request with the status
 * (so {@code error_page} sees them); a text, or an empty 2xx/3xx answer, is sent here.
 *
 * @param value the text or URL, or {@code null} when none (or an empty one) was given
 */
record ReturnOp(int code, ComplexValue value) implements Op {

    @Override
    public int run(HttpExchange x, boolean log) {
        if (value == null) {
            if (isRedirect(code)) {
                x.prepareResponse(code, StatusPages.page(code).withHeader("Location", "")); // as nginx: empty
                return code;
            }
            if (code >= 200 && code < 400 && code != 204) {
                // as ngx_http_send_response: an empty body of the location's type, not a page
                x.sendResponse(code, new Response(x.contentType(), new byte[0], List.of()));
                return PhaseHandler.OK;
            }
            return code; // the special response: a page, or nothing
        }
        String v = value.evaluate(x);
        if (isRedirect(code)) {
            x.prepareResponse(code, StatusPages.page(code).withRedirect(x, v));
            return code;
        }
        x.sendResponse(code, new Response(x.contentType(),
                WireText.encode(v).getBytes(StandardCharsets.ISO_8859_1), List.of()));
        return PhaseHandler.OK;
    }

    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
