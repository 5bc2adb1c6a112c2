package io.jwtgate.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One response's body transformation, nginx's body filter: a header filter that decides to change the body
 * (compress it, decompress it, recode it) installs one for that response with {@link HttpExchange#addBodyFilter}.
 * The core then passes every piece of the body through it, whoever produced the body (a whole response of the
 * gateway's, the proxy's stream, a file), in the order the filters were installed
 * (docs/modules.md#header-and-body-filters).
 *
 * <p>Pull-based, so that a filter whose output can be far larger than its input (a decompressor) never has to
 * produce it all at once: the core {@linkplain #offer offers} one piece, then {@linkplain #poll polls} output,
 * one bounded buffer at a time, while the client takes it, until {@code poll} returns {@code null}; only then is the
 * next piece offered. Runs on the request's event loop only. {@link #close} is called exactly once, however the
 * response ends (completed, aborted, client gone, HEAD), and must free what the filter holds (native memory of a
 * {@code Deflater}, buffered input).
 */
public interface BodyFilter {

    /**
     * Takes the next piece of the body; the filter owns {@code in} from now on and releases it. {@code last} is
     * true exactly once, for the end of the body ({@code in} may then be empty).
     */
    void offer(ByteBuf in, boolean last);

    /**
     * The next piece of output (the caller owns it), at most some tens of KiB; {@code null} when the filter needs
     * the next piece of input, or, after the last one, when it has given everything.
     *
     * @throws Failure when the body cannot be transformed (corrupt compressed data): the response is cut off and the
     *     connection closed, as nginx does when a body filter fails
     */
    ByteBuf poll(ByteBufAllocator alloc) throws Failure;

    /** Frees what the filter holds; called once, after which it is not used again. */
    void close();

    /** A body that cannot be transformed; the message is logged as the error's reason. */
    final class Failure extends Exception {

        private static final long serialVersionUID = 1L;

        public Failure(String message) {
            super(message, null, false, false);
        }
    }
}
