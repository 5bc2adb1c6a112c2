package io.jwtgate.proxy.cache;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.NotModified;
import io.jwtgate.core.http.RangeAnswer;
import io.jwtgate.core.http.Ranges;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * nginx's range filter over a cacheable response that streams from the upstream while it is stored, whose upstream
 * sent {@code Accept-Ranges} (nginx's {@code allow_ranges} with {@code single_range}): one range of the body is cut
 * out as the pieces pass; several ranges give the whole response, as in nginx (docs/cache.md#ranges). Lives for one
 * response, on its event loop.
 */
final class StreamRange {

    private final RangeAnswer answer;
    private final boolean unsatisfiable;
    private final long size;
    /** Bytes of the body seen so far. */
    private long seen;

    private StreamRange(RangeAnswer answer, boolean unsatisfiable, long size) {
        this.answer = answer;
        this.unsatisfiable = unsatisfiable;
        this.size = size;
    }

    /**
     * The ranges for {@code head} if its upstream allowed them: its {@code Accept-Ranges} gives way to the range
     * filter's own; {@code null} when there is nothing to apply (no such header, no length, a subrequest).
     */
    static StreamRange allow(HttpExchange x, HttpResponse head) {
        HttpHeaders h = head.headers();
        if (!h.contains(HttpHeaderNames.ACCEPT_RANGES)) {
            return null;
        }
        h.remove(HttpHeaderNames.ACCEPT_RANGES);
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        long size;
        try {
            size = length == null ? -1 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            size = -1;
        }
        Ranges read = size < 0 ? null : Ranges.read(x, size, h.get(HttpHeaderNames.ETAG),
                NotModified.lastModified(h), 1);
        if (read == null) {
            return null;
        }
        if (read.outcome() == Ranges.Outcome.NOT_SATISFIABLE) {
            return new StreamRange(null, true, size);
        }
        RangeAnswer answer = new RangeAnswer(read.outcome() == Ranges.Outcome.WHOLE ? null : read.ranges(), size);
        x.allowRanges(answer);
        return new StreamRange(answer, false, size);
    }

    /** Whether the range starts past the end: the answer is a 416 instead. */
    boolean unsatisfiable() {
        return unsatisfiable;
    }

    long size() {
        return size;
    }

    /** Whether the head went out as a 206 (the range filter applied the range), so that the body is cut. */
    boolean cutting() {
        return answer != null && answer.parts() != null;
    }

    /** The part of {@code in} (released) within the range, or {@code null}; only while {@link #cutting}. */
    ByteBuf cut(ByteBuf in) {
        RangeAnswer.Part p = answer.parts().get(0);
        long from = seen;
        int n = in.readableBytes();
        seen += n;
        long start = Math.max(from, p.offset());
        long end = Math.min(from + n, p.offset() + p.length());
        ByteBuf out = start < end ? in.retainedSlice(in.readerIndex() + (int) (start - from), (int) (end - start))
                : null;
        in.release();
        return out;
    }
}
