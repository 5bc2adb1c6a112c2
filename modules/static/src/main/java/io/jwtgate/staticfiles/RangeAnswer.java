package io.jwtgate.staticfiles;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.ResponseHeaders;
import java.util.List;

/**
 * What a {@code Range} request for a file would be answered with, decided before the head is sent and applied by
 * the static module's header filter, the last of all, as nginx's range header filter comes after gzip's, gunzip's and
 * charset's: only if the response is still a 200 whose {@code Content-Length} no filter took away (a filter that
 * changes the body clears it, as nginx's {@code ngx_http_clear_accept_ranges} and {@code content_length_n == -1}
 * stop its range filter). Then a 206 of {@code parts}; else the whole file, compressed or recoded as the filters
 * decided (docs/static.md#ranges).
 *
 * @param parts the ranges to send, or {@code null} for none (no or an ignored {@code Range}: the whole file with
 *     {@code Accept-Ranges})
 * @param trailer what follows the last part ({@code multipart/byteranges}' closing boundary), or {@code null}
 * @param contentType the {@code Content-Type} of a multipart answer, or {@code null} for a single range
 * @param length the {@code Content-Length} of the 206
 * @param contentRange the {@code Content-Range} of a single range, or {@code null}
 */
record RangeAnswer(List<FileResponse.Part> parts, String trailer, String contentType, long length,
        String contentRange) {

    /** A file whose range filter takes part but is not asked for ranges. */
    static final RangeAnswer WHOLE = new RangeAnswer(null, null, null, 0, null);

    /** nginx's range header filter, over the answer {@code slot} holds for this request. */
    static void filter(RequestSlot<RangeAnswer> slot, HttpExchange x, int status, ResponseHeaders h) {
        RangeAnswer a = x.get(slot);
        if (a == null || status != 200 || !h.contains("Content-Length")) {
            return;
        }
        if (a.parts() == null) {
            h.set("Accept-Ranges", "bytes");
            return;
        }
        h.setStatus(206);
        h.set("Content-Length", Long.toString(a.length()));
        if (a.contentType() != null) {
            h.set("Content-Type", a.contentType());
        } else {
            h.set("Content-Range", a.contentRange());
        }
    }
}
