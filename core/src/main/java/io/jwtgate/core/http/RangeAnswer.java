package io.jwtgate.core.http;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@code Range} request for a file or a cached response is answered with: the ranges are read before the head
 * is sent ({@link HttpExchange#allowRanges}), and applied by the core's range filter, the last header filter of all,
 * as nginx's range header filter comes after gzip's,
 * gunzip's and charset's: only if the response is still a 200 whose {@code Content-Length} no filter took away (a
 * filter that changes the body clears it, as nginx's {@code ngx_http_clear_accept_ranges} and
 * {@code content_length_n == -1} stop its range filter). Then a 206 of {@link #parts()}, whose multipart headers
 * carry the type as the filters left it (with charset's {@code charset=}); else the whole file, compressed or
 * recoded as the filters decided (docs/static.md#ranges). Lives for one request, on its event loop.
 */
public final class RangeAnswer {

    /** nginx's temp number for multipart boundaries: one counter for the process, starting anywhere. */
    private static final AtomicLong BOUNDARY = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000_000L));

    private final List<Ranges.Range> ranges;
    private final long size;
    private List<Part> parts;
    private String trailer;

    /**
     * @param ranges the ranges asked for, or {@code null} for none (no or an ignored {@code Range}: the whole file
     *     with {@code Accept-Ranges})
     * @param size the file's size
     */
    public RangeAnswer(List<Ranges.Range> ranges, long size) {
        this.ranges = ranges;
        this.size = size;
    }

    /** A piece of the body: text before it (a multipart header), then {@code length} bytes from {@code offset}. */
    public record Part(String header, long offset, long length) {
    }

    /** The parts of the 206, or {@code null} when the answer is the whole file. */
    public List<Part> parts() {
        return parts;
    }

    /** What follows the last part ({@code multipart/byteranges}' closing boundary), or {@code null}. */
    public String trailer() {
        return trailer;
    }

    /** nginx's range header filter, over the answer the request's handler allowed. */
    public static void filter(HttpExchange x, int status, ResponseHeaders h) {
        RangeAnswer a = x.allowedRanges();
        if (a == null || status != 200 || !h.contains("Content-Length")) {
            return;
        }
        if (a.ranges == null) {
            h.set("Accept-Ranges", "bytes");
            return;
        }
        h.setStatus(206);
        if (a.ranges.size() == 1) {
            Ranges.Range r = a.ranges.get(0);
            a.parts = List.of(new Part(null, r.start(), r.length()));
            h.set("Content-Length", Long.toString(r.length()));
            h.set("Content-Range", "bytes " + r.start() + "-" + (r.end() - 1) + "/" + a.size);
        } else {
            a.multipart(h);
        }
    }

    private void multipart(ResponseHeaders h) {
        String contentType = h.get("Content-Type");
        String boundary = String.format("%020d", BOUNDARY.incrementAndGet());
        String partHead = "\r\n--" + boundary + "\r\n" + (contentType == null ? ""
                : "Content-Type: " + contentType + "\r\n") + "Content-Range: bytes ";
        trailer = "\r\n--" + boundary + "--\r\n";
        long length = trailer.length();
        Part[] out = new Part[ranges.size()];
        for (int i = 0; i < out.length; i++) {
            Ranges.Range r = ranges.get(i);
            String header = partHead + r.start() + "-" + (r.end() - 1) + "/" + size + "\r\n\r\n";
            out[i] = new Part(header, r.start(), r.length());
            length += header.length() + r.length();
        }
        parts = List.of(out);
        h.set("Content-Type", "multipart/byteranges; boundary=" + boundary);
        h.set("Content-Length", Long.toString(length));
    }
}
