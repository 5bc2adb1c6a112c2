package io.jwtgate.moduletest;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.BodyReader;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

/**
 * A module written against the public module interface only ({@code core.http}, {@code core.module},
 * {@code core.conf}), as a third party would: {@code stream_test <n>;} makes a location's content a streamed
 * response that echoes the request body piece by piece as it arrives, then adds {@code n} chunks
 * {@code chunk <i>\n}, each written only after the previous one left (the content contract of
 * {@code docs/modules.md#content-handlers}). {@code HEAD} gets the same response: the core sends its head
 * only. A request body that cannot be read ends the request with the core's status through {@code finalizeRequest}.
 */
public final class StreamingModule extends HttpModule {

    static final class Draft {
        Integer chunks;
    }

    private final LocSlot<Draft, Integer> chunks = locSlot(LocSlot.of(Draft::new,
            (parent, d) -> d.chunks != null ? d.chunks : parent));

    public StreamingModule() {
        super("stream_test");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.of("stream_test", EnumSet.of(Context.LOCATION), Arity.TAKE1,
                Setters.number(chunks, d -> d.chunks, (d, v) -> d.chunks = v)));
    }

    @Override
    public ContentOrigin contentOrigin(LocationConf location) {
        return location.get(chunks) != null ? ContentOrigin.LOCAL : null;
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.CONTENT, this::handle);
    }

    private int handle(HttpExchange x) {
        Integer n = x.conf(chunks);
        if (n == null) {
            return PhaseHandler.DECLINED;
        }
        Stream s = new Stream(x, n);
        if (x.downstream().hasBody()) {
            x.downstream().readBody(s);
        } else {
            s.sendHead();
            s.nextChunk();
        }
        return PhaseHandler.OK; // the request is ours now: it ends with endResponse or finalizeRequest
    }

    /** One request's response: lives on the request's event loop. */
    private static final class Stream implements BodyReader {
        private final HttpExchange x;
        private final Downstream down;
        private final int total;
        private int sent;
        private boolean headSent;

        Stream(HttpExchange x, int total) {
            this.x = x;
            this.down = x.downstream();
            this.total = total;
        }

        void sendHead() {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            // the same for HEAD: the core sends the head only and drops the chunks
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            headSent = true;
            down.sendHead(head);
        }

        @Override
        public void onBody(HttpContent content, boolean last) {
            if (!headSent) {
                sendHead();
            }
            // the downstream takes ownership of the piece; the next one is asked for once it left
            ChannelFuture f = down.sendBody(new DefaultHttpContent(content.content()));
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    return; // the client went away; the core cleans the request up
                }
                if (last) {
                    nextChunk();
                } else {
                    down.requestBody();
                }
            });
        }

        @Override
        public void onBodyError(int status) {
            if (headSent) {
                down.abort("request body failed with " + status);
            } else {
                x.finalizeRequest(status);
            }
        }

        void nextChunk() {
            if (sent == total) {
                down.endResponse(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            byte[] text = ("chunk " + sent++ + "\n").getBytes(StandardCharsets.US_ASCII);
            down.sendBody(new DefaultHttpContent(Unpooled.wrappedBuffer(text))).addListener(f -> {
                if (f.isSuccess()) {
                    nextChunk();
                }
            });
        }
    }
}
