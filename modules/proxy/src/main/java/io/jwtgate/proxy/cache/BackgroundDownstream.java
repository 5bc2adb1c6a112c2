package io.jwtgate.proxy.cache;

import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The downstream of a {@code proxy_cache_background_update} refresh, behind its {@link CacheFill}: the request is
 * the client's, sent without a body, and the response goes nowhere once the cache has copied it, since the client
 * was answered with the expired entry already. The client going away does not stop the refresh.
 *
 * <p>Lives on the request's event loop; releases everything it is given.
 */
final class BackgroundDownstream implements Downstream {

    private final Downstream client;
    private final Channel channel;
    private boolean headSent;

    /** {@code channel}: the client's, on which the futures it hands back are completed. */
    BackgroundDownstream(Downstream client, Channel channel) {
        this.client = client;
        this.channel = channel;
    }

    @Override
    public HttpRequest request() {
        return client.request();
    }

    @Override
    public EventLoop loop() {
        return client.loop();
    }

    @Override
    public Transport transport() {
        return client.transport();
    }

    @Override
    public boolean hasBody() {
        return false; // only requests without a body are refreshed in the background
    }

    @Override
    public long contentLength() {
        return 0;
    }

    @Override
    public void readBody(BodyReader reader) {
        throw new IllegalStateException("a background refresh has no request body");
    }

    @Override
    public void requestBody() {
        throw new IllegalStateException("a background refresh has no request body");
    }

    @Override
    public ChannelFuture sendHead(HttpResponse head) {
        headSent = true;
        ReferenceCountUtil.release(head);
        return channel.newSucceededFuture();
    }

    @Override
    public ChannelFuture sendBody(HttpContent content) {
        content.release();
        return channel.newSucceededFuture();
    }

    @Override
    public void endResponse(LastHttpContent last) {
        last.release();
    }

    @Override
    public void abort(String reason) {
        // nobody is waiting for this response
    }

    @Override
    public boolean headSent() {
        return headSent;
    }

    @Override
    public void onClose(Runnable listener) {
        // the refresh goes on without the client
    }
}
