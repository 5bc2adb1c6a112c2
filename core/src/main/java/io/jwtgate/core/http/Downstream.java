package io.jwtgate.core.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.nio.channels.FileChannel;

/**
 * Where a streaming content handler (the proxy) reads the request body from and writes the response to: a client
 * connection or an in-process subrequest, which keeps the response in memory.
 * Every method runs on {@link #loop()}.
 */
public interface Downstream {

    /** The request line and headers to forward. */
    HttpRequest request();

    /** The event loop the request lives on; upstream connections for it are made on this loop. */
    EventLoop loop();

    /** The socket transport upstream connections on {@link #loop()} must use. */
    Transport transport();

    /** Whether the request has a body to read ({@code Content-Length} > 0 or chunked). */
    boolean hasBody();

    /** The declared body length, or -1 for chunked. */
    long contentLength();

    /**
     * Starts reading the request body: the first piece goes to {@code reader} as soon as it is available, the next
     * ones after each {@link #requestBody()}.
     */
    void readBody(BodyReader reader);

    /** Asks for the next piece of the request body. */
    void requestBody();

    /** Sends the head of a streamed response; the body follows with {@link #sendBody} and {@link #endResponse}. */
    ChannelFuture sendHead(HttpResponse head);

    /** Sends a piece of the response body; takes ownership of {@code content}. */
    ChannelFuture sendBody(HttpContent content);

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} as the next piece of the response body, after
     * {@link #sendHead}; the future completes once they were written (or fails when the client went away or the
     * file could not be read), and the handler then sends more or calls {@link #endResponse}. The caller keeps the
     * file and closes it when the request ended ({@code HttpExchange.onRequestEnd}). With {@code zeroCopy}
     * ({@code sendfile on}, no body filter) a plain client connection gets the bytes straight from the file
     * ({@code sendfile(2)}, never through memory); otherwise, and under TLS or in a subrequest, they are read in
     * chunks off the event loop and passed to {@link #sendBody} one after the other (docs/static.md#sending).
     */
    default Future<Void> sendFile(FileChannel file, long position, long count, boolean zeroCopy) {
        return FileChunks.send(this, file, position, count);
    }

    /** Sends the last piece of the response and ends the request; takes ownership of {@code last}. */
    void endResponse(LastHttpContent last);

    /**
     * Ends the request without completing the response (the upstream died mid-body), so that nobody takes a
     * truncated body for a whole one.
     */
    void abort(String reason);

    /** Whether the response head has been sent. */
    boolean headSent();

    /** Registers a callback for the client going away before this request finished. */
    void onClose(Runnable listener);

    /**
     * Sends the head of a {@code 101 Switching Protocols} response and turns the client connection into a byte
     * tunnel (nginx's {@code ngx_http_upstream_upgrade}): the HTTP codec leaves the connection, {@code relay} joins
     * the end of its pipeline and receives every byte the client sends as a {@code ByteBuf} (reads happen only when
     * the relay asks, with {@code Channel.read()}), and what is written to the returned channel reaches the client
     * unchanged and counts as response body. The request ends, and is logged with status 101, when the channel
     * closes; its close listeners run then.
     *
     * @return the client's channel, or {@code null} when this downstream cannot be upgraded (a subrequest), in which
     *     case nothing was sent
     */
    default Channel upgrade(HttpResponse head, ChannelHandler relay) {
        return null;
    }
}
