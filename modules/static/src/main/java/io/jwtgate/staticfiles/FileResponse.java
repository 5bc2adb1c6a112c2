package io.jwtgate.staticfiles;

import io.jwtgate.core.codec.HttpTime;
import io.jwtgate.core.http.Downstream;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.NotModified;
import io.jwtgate.core.http.RangeAnswer;
import io.jwtgate.core.http.Ranges;
import io.jwtgate.core.http.StatusPages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.Future;
import java.util.List;

/**
 * The answer for an open regular file, as nginx's static handler and the filters after it make it: 304 or 412
 * (not-modified filter), 416, or 200 with {@code Last-Modified} and {@code ETag}, which the range filter at the end
 * of the header filters ({@link RangeAnswer}) makes a 206 with one range or {@code multipart/byteranges}, or gives
 * {@code Accept-Ranges}; then the body: a small file's bytes read on the disk thread, else sent by the core from the
 * file ({@code Downstream.sendFile}). The file is closed when the request ends.
 */
final class FileResponse {

    private final HttpExchange x;
    private final StaticConf conf;
    private final DiskFile file;
    private final boolean gzipped;

    private FileResponse(HttpExchange x, StaticConf conf, DiskFile file, boolean gzipped) {
        this.x = x;
        this.conf = conf;
        this.file = file;
        this.gzipped = gzipped;
    }

    /**
     * Answers with {@code file}; {@code gzipped} when it is the {@code .gz} that {@code gzip_static} found for the
     * file asked for: then with {@code Content-Encoding: gzip} and the type of the name asked for.
     */
    static void send(HttpExchange x, StaticConf conf, DiskFile file, boolean gzipped) {
        x.onRequestEnd(file::release);
        new FileResponse(x, conf, file, gzipped).send();
    }

    private void send() {
        long size = file.size();
        String etag = conf.etag() ? "\"" + Long.toHexString(file.mtime()) + "-" + Long.toHexString(size) + "\"" : null;
        int answering = x.status();
        if (answering != 0 && answering != 200) {
            // an error page: nginx's filters see its status, so neither conditions nor ranges apply, and its header
            // filter sends no Last-Modified with it
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, StatusPages.status(200));
            tagged(head, etag);
            typed(head, conf.contentType(x.uri())).headers().set("Content-Length", size);
            sendParts(head, List.of(new RangeAnswer.Part(null, 0, size)), null);
            return;
        }
        int precondition = NotModified.check(x, file.mtime(), etag);
        if (precondition == 412) {
            x.finalizeRequest(412);
            return;
        }
        if (precondition == 304) {
            HttpResponse head = head(304, etag);
            // nginx's not-modified filter drops the Content-Encoding of gzip_static
            head.headers().remove("Content-Encoding");
            Downstream d = x.downstream();
            d.sendHead(head);
            d.endResponse(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        String contentType = conf.contentType(x.uri());
        Ranges ranges = ranges(size, etag);
        if (ranges != null && ranges.outcome() == Ranges.Outcome.NOT_SATISFIABLE) {
            x.prepareResponse(416, StatusPages.page(416).withHeader("Content-Range", "bytes */" + size));
            x.finalizeRequest(416);
            return;
        }
        HttpResponse head = head(200, etag);
        typed(head, contentType).headers().set("Content-Length", size);
        if (ranges == null) {
            sendParts(head, List.of(new RangeAnswer.Part(null, 0, size)), null);
            return;
        }
        RangeAnswer answer = new RangeAnswer(ranges.outcome() == Ranges.Outcome.WHOLE ? null : ranges.ranges(),
                size);
        x.allowRanges(answer);
        Downstream d = x.downstream();
        d.sendHead(head);
        // the core's range filter made it a 206 unless a filter before it changed the body
        if (answer.parts() != null) {
            sendBody(d, answer.parts(), answer.trailer());
        } else {
            sendBody(d, List.of(new RangeAnswer.Part(null, 0, size)), null);
        }
    }

    /**
     * The range filter's decision, or {@code null} where it does not take part (see {@link Ranges#read}; also a
     * {@code .gz} of {@code gzip_static}, for which nginx 1.22 does not allow ranges).
     */
    private Ranges ranges(long size, String etag) {
        return gzipped ? null : Ranges.read(x, size, etag, file.mtime(), x.location().core().maxRanges());
    }

    /** {@code Content-Type}, unless {@code default_type ""} left the file without one. */
    private static HttpResponse typed(HttpResponse head, String contentType) {
        if (!contentType.isEmpty()) {
            head.headers().set("Content-Type", contentType);
        }
        return head;
    }

    /** Status line, {@code Last-Modified} and {@code ETag}; the caller adds type and length. */
    private HttpResponse head(int status, String etag) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, StatusPages.status(status));
        HttpHeaders h = head.headers();
        h.set("Last-Modified", HttpTime.format(file.mtime()));
        return tagged(head, etag);
    }

    /** {@code ETag}, then gzip_static's {@code Content-Encoding}, in nginx's order. */
    private HttpResponse tagged(HttpResponse head, String etag) {
        if (etag != null) {
            head.headers().set("ETag", etag);
        }
        if (gzipped) {
            head.headers().set("Content-Encoding", "gzip");
        }
        return head;
    }

    private void sendParts(HttpResponse head, List<RangeAnswer.Part> parts, String trailer) {
        Downstream d = x.downstream();
        d.sendHead(head);
        sendBody(d, parts, trailer);
    }

    private void sendBody(Downstream d, List<RangeAnswer.Part> parts, String trailer) {
        if (x.method().equals("HEAD")) {
            d.endResponse(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        sendPart(d, parts, 0, trailer);
    }

    private void sendPart(Downstream d, List<RangeAnswer.Part> parts, int first, String trailer) {
        for (int i = first; i < parts.size(); i++) {
            RangeAnswer.Part p = parts.get(i);
            if (p.header() != null) {
                d.sendBody(new DefaultHttpContent(Unpooled.copiedBuffer(p.header(), CharsetUtil.US_ASCII)));
            }
            if (p.length() == 0) {
                continue;
            }
            ByteBuf content = file.content();
            if (content == null) {
                sendFromFile(d, parts, i, trailer);
                return;
            }
            ByteBuf bytes = content.retainedSlice((int) p.offset(), (int) p.length());
            if (i == parts.size() - 1 && trailer == null) {
                d.endResponse(new DefaultLastHttpContent(bytes));
                return;
            }
            d.sendBody(new DefaultHttpContent(bytes));
        }
        d.endResponse(trailer == null ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(Unpooled.copiedBuffer(trailer, CharsetUtil.US_ASCII)));
    }

    /** Sends part {@code i} from the open file, and the parts after it once it is written. */
    private void sendFromFile(Downstream d, List<RangeAnswer.Part> parts, int i, String trailer) {
        RangeAnswer.Part p = parts.get(i);
        Future<Void> sent = d.sendFile(file.channel(), p.offset(), p.length(), conf.sendfile());
        sent.addListener(f -> {
            if (f.isSuccess()) {
                sendPart(d, parts, i + 1, trailer);
            } else {
                d.abort("sending \"" + file.name() + "\" failed: " + f.cause());
            }
        });
    }
}
