package io.jwtgate.core.server;

import io.jwtgate.core.http.BodyFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body filters one response's header filters installed, run as one: a piece offered to the first, the output
 * of each pulled into the next, the last one's output polled by the writer (docs/modules.md#header-and-body-filters).
 * Lives on the request's event loop.
 */
final class BodyFilterChain {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final List<BodyFilter> filters = new ArrayList<>(2);
    /** Per filter: whether it was given its last input. */
    private boolean[] ended = new boolean[2];
    private boolean closed;

    void add(BodyFilter filter) {
        if (closed) {
            filter.close();
            return;
        }
        filters.add(filter);
        if (filters.size() > ended.length) {
            ended = new boolean[filters.size() * 2];
        }
    }

    boolean isEmpty() {
        return filters.isEmpty() || closed;
    }

    /** Gives the first filter its next input (ownership passes). */
    void offer(ByteBuf in, boolean last) {
        if (closed) {
            in.release();
            return;
        }
        ended[0] = last;
        filters.get(0).offer(in, last);
    }

    /** The chain's next output, or {@code null} when it needs the next input (or gave everything). */
    ByteBuf poll(ByteBufAllocator alloc) throws BodyFilter.Failure {
        return closed ? null : pull(filters.size() - 1, alloc);
    }

    private ByteBuf pull(int i, ByteBufAllocator alloc) throws BodyFilter.Failure {
        BodyFilter f = filters.get(i);
        while (true) {
            ByteBuf out = f.poll(alloc);
            if (out != null || i == 0 || ended[i]) {
                return out;
            }
            ByteBuf in = pull(i - 1, alloc);
            if (in != null) {
                f.offer(in, false);
            } else if (ended[i - 1]) {
                ended[i] = true; // the filter before gave all it will give
                f.offer(Unpooled.EMPTY_BUFFER, true);
            } else {
                return null;
            }
        }
    }

    /** Closes every filter once; the chain passes nothing more. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BodyFilter f : filters) {
            try {
                f.close();
            } catch (RuntimeException e) {
                log.error("closing body filter failed", e);
            }
        }
    }
}
