package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyFilter;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.SubrequestOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subrequest's response body, kept in memory as its {@link SubrequestOptions} say: up to their limit, nothing for a
 * header-only subrequest, through the body filters the header filters installed (nginx's gunzip runs for
 * subrequests). Polling stops once the body is over its limit, so a decompressed bomb costs no more than the limit; a
 * filter's failure makes the body not whole. Lives on the parent's event loop.
 */
final class SubrequestBody {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final HttpExchange x;
    private final SubrequestOptions options;
    private final ByteBufAllocator alloc;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean truncated;
    /** The body filters the header filters installed, if any. */
    private BodyFilterChain filters;

    /** {@code x}, the subrequest, names it in the log line of a filter's failure. */
    SubrequestBody(HttpExchange x, SubrequestOptions options, ByteBufAllocator alloc) {
        this.x = x;
        this.options = options;
        this.alloc = alloc;
    }

    void addFilter(BodyFilter filter) {
        if (filters == null) {
            filters = new BodyFilterChain();
        }
        filters.add(filter);
    }

    boolean filtered() {
        return filters != null && !filters.isEmpty();
    }

    /** The bytes kept so far. */
    int size() {
        return bytes.size();
    }

    /** The bytes kept. */
    byte[] bytes() {
        return bytes.toByteArray();
    }

    /** Whether nothing was left out: under the limit, and no filter failed. */
    boolean whole() {
        return !truncated;
    }

    /** Takes a piece of the body (owned from now on): through the filters, if any, or kept as it is. */
    void add(ByteBuf in, boolean last) {
        if (filtered()) {
            filter(in, last);
            return;
        }
        try {
            collect(in);
        } finally {
            in.release();
        }
    }

    /** The body ends here (or was never wanted): the filters' memory is freed. */
    void close() {
        if (filters != null) {
            filters.close();
        }
    }

    private void filter(ByteBuf in, boolean last) {
        try {
            filters.offer(in, last);
            for (ByteBuf out = filters.poll(alloc); out != null; out = filters.poll(alloc)) {
                try {
                    collect(out);
                } finally {
                    out.release();
                }
                if (truncated) {
                    filters.close();
                    return;
                }
            }
        } catch (BodyFilter.Failure e) {
            log.error("{}{}", e.getMessage(), ErrorContext.of(x));
            truncated = true;
            filters.close();
        }
    }

    private void collect(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0 || truncated || options.headerOnly()) {
            return;
        }
        if (bytes.size() + n > options.maxBody()) {
            truncated = true;
            return;
        }
        byte[] piece = new byte[n];
        buf.getBytes(buf.readerIndex(), piece);
        bytes.write(piece, 0, n);
    }
}
