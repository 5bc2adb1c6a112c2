package io.jwtgate.core.server;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorPage;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * How one request ends with a status, nginx's {@code ngx_http_special_response_handler} and
 * {@code ngx_http_send_error_page} (docs/configuration.md#error_page): the response a module prepared for a status,
 * the location's {@code error_page} for it, and what an error page leaves for the answer that replaces the default
 * one (its status, the method, the headers kept).
 */
final class SpecialResponse {

    private final BaseExchange x;
    private int preparedStatus;
    private Response prepared;
    /** nginx's {@code r->err_status}: the status the answer goes out with, 0 for its own. */
    private int errStatus;
    /** nginx's {@code r->error_page}: an error page was used and recursion is off. */
    private boolean errorPageUsed;
    private String redirectedMethod;
    private List<String[]> keptHeaders = List.of();
    /** The type an upstream gave before an {@code X-Accel-Redirect}, or {@code null}. */
    private String keptContentType;

    SpecialResponse(BaseExchange x) {
        this.x = x;
    }

    void prepare(int code, Response response) {
        preparedStatus = code;
        prepared = response;
    }

    /** The response for ending with {@code code}: the one a module prepared for it, else the default page. */
    Response responseFor(int code) {
        return prepared != null && preparedStatus == code ? prepared : StatusPages.page(code);
    }

    /**
     * Ends the request with {@code code}: the status becomes the answer's, and the location's {@code error_page}
     * for it, if any, takes the request elsewhere, once unless {@code recursive_error_pages} is on, and never once
     * the URI changes are spent ({@code uriChangesLeft}); otherwise the prepared response or the default page.
     */
    void end(int code, boolean uriChangesLeft) {
        if (code < 300 || code == 444 || code == 408 || code == 499) {
            x.finish(code); // nginx closes without an answer on 444, 408 and 499
            return;
        }
        errStatus = code;
        keptContentType = null; // nginx's special response handler clears the type first
        if (closesConnection(code)) {
            x.disableKeepAlive();
        }
        CoreLocConf core = x.location().core();
        if (!errorPageUsed && !core.errorPages().isEmpty() && uriChangesLeft) {
            errorPageUsed = !core.recursiveErrorPages();
            ErrorPage page = core.errorPage(code);
            if (page != null) {
                sendErrorPage(page, code);
                return;
            }
        }
        // nginx's special response handler clears these of what the answer keeps (an X-Accel-Redirect's)
        keptHeaders = keptHeaders.stream().filter(h -> !h[0].equalsIgnoreCase("Accept-Ranges")
                && !h[0].equalsIgnoreCase("ETag") && !h[0].equalsIgnoreCase("Last-Modified")).toList();
        x.finish(code);
    }

    /** nginx turns keep-alive off after these errors ({@code ngx_http_special_response_handler}). */
    static boolean closesConnection(int code) {
        return code == 400 || code == 408 || code == 413 || code == 414 || code == 495 || code == 496 || code == 497
                || code == 500 || code == 501;
    }

    /**
     * The headers of the response prepared for {@code code} (a JWT challenge's {@code WWW-Authenticate}, a
     * {@code return}'s {@code Location}) stay on whatever answers instead, as nginx leaves its {@code r->headers_out}
     * as they were.
     */
    private void sendErrorPage(ErrorPage page, int code) {
        if (page.overwrite() != ErrorPage.KEEP_STATUS) {
            errStatus = page.overwrite();
        }
        if (prepared != null && preparedStatus == code) {
            keptHeaders = prepared.headers();
        }
        String uri = page.uri();
        String args = page.args();
        if (page.value() != null) {
            uri = page.value().apply(x);
            int q = uri.indexOf('?');
            if (uri.startsWith("/") && q >= 0) {
                args = uri.substring(q + 1);
                uri = uri.substring(0, q);
            }
        }
        if (uri.startsWith("/")) {
            if (!x.method().equals("HEAD")) {
                redirectedMethod = "GET";
            }
            x.internalRedirect(uri, args);
            return;
        }
        if (uri.startsWith("@")) {
            x.namedLocation(uri.substring(1));
            return;
        }
        int o = page.overwrite();
        errStatus = o == 301 || o == 302 || o == 303 || o == 307 || o == 308 ? o : 302;
        // the URL replaces a Location kept; as written, not made absolute, so nginx writes it after the kept headers
        keptHeaders = keptHeaders.stream().filter(h -> !h[0].equalsIgnoreCase("Location")).toList();
        x.sendResponse(errStatus, StatusPages.page(errStatus).withHeader("Location", uri));
    }

    /**
     * {@code HttpExchange.keepForRedirect}: headers kept for the final answer and, with {@code asGet}, GET. A
     * {@code Content-Type} among them becomes the type of an answer that has none of its own, as nginx's
     * {@code r->headers_out.content_type}.
     */
    void keepForRedirect(List<String[]> headers, boolean asGet) {
        List<String[]> all = new ArrayList<>(keptHeaders);
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase("Content-Type")) {
                keptContentType = h[1];
            } else {
                all.add(h);
            }
        }
        keptHeaders = List.copyOf(all);
        if (asGet && !x.method().equals("HEAD")) {
            redirectedMethod = "GET";
        }
    }

    /**
     * The status that goes out for a response of {@code code}: the one an error page fixed, if any. nginx fixes it
     * before its filters run, so a 200 it fixed may still become a 206 or a 304 (a file's range or condition).
     */
    int statusToSend(int code) {
        if (errStatus == 200 && (code == 206 || code == 304)) {
            return code;
        }
        return errStatus != 0 ? errStatus : code;
    }

    /** The method an error page's internal redirect set ({@code GET}), or {@code null} for the request's own. */
    String redirectedMethod() {
        return redirectedMethod;
    }

    /**
     * The type a generated answer ({@code return}'s text) goes out with: the one kept from an upstream before an
     * {@code X-Accel-Redirect}, as nginx's handlers leave a type that is set, else its own ({@code own}).
     */
    String contentTypeOf(String own) {
        return keptContentType != null ? WireText.encode(keptContentType) : own;
    }

    /** The kept type, for a streamed head that has none of its own, or {@code null}. */
    String keptContentType() {
        return keptContentType == null ? null : WireText.encode(keptContentType);
    }

    /** Headers an error page kept from the response it replaced; they go out before the answer's own. */
    List<String[]> keptHeaders() {
        return keptHeaders;
    }

    /** Puts the {@link #keptHeaders} in front of a response head's own headers, in nginx's order. */
    void putKeptHeadersFirst(HttpHeaders h) {
        if (keptHeaders.isEmpty()) {
            return;
        }
        HttpHeaders own = h.copy();
        h.clear();
        for (String[] kv : keptHeaders) {
            h.add(kv[0], WireText.encode(kv[1]));
        }
        h.add(own);
    }
}
