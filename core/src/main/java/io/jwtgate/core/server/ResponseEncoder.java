package io.jwtgate.core.server;

import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Netty's response encoder, writing the header block as nginx's header filter ({@code ngx_http_header_filter})
 * does: the headers nginx produces itself come first, in its order and spelling ({@code Server}, {@code Date},
 * {@code Content-Type}, {@code Content-Length}, {@code Last-Modified}, {@code Location}, {@code Transfer-Encoding},
 * {@code Connection}, {@code Keep-Alive}, the {@code Vary} of {@code gzip_vary}), then every other header in the order
 * it was set, with its name as given.
 * A {@code Location} counts as nginx's own only when jwtgate made it absolute ({@link Response#ABSOLUTIZED_LOCATION}).
 * Bytes 0x80-0xFF in a value (an upstream's UTF-8 file name, say) go out unchanged, as nginx passes them; Netty's
 * own encoder writes them as {@code ?}. A head marked {@link #headerOnly} (the response to {@code HEAD}) goes out
 * with its framing headers, and every body byte and chunk frame after it is dropped, as nginx's {@code header_only}.
 * One instance per connection: the scratch arrays are reused.
 */
final class ResponseEncoder extends HttpResponseEncoder {

    /** nginx's own headers, in the order its header filter writes them. */
    private static final String[] FIRST = {"Server", "Date", "Content-Type", "Content-Length", "Last-Modified",
        "Location", "Transfer-Encoding", "Connection", "Keep-Alive", "Vary"};
    private static final byte[][] PREFIX = new byte[FIRST.length][];
    private static final int OTHER = FIRST.length;
    private static final byte[] SEPARATOR = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    static {
        for (int i = 0; i < FIRST.length; i++) {
            PREFIX[i] = (FIRST[i] + ": ").getBytes(CharsetUtil.US_ASCII);
        }
    }

    private CharSequence[] names = new CharSequence[16];
    private CharSequence[] values = new CharSequence[16];
    private byte[] ranks = new byte[16];
    private HttpResponse headerOnly;

    /**
     * An upstream's status line without a reason phrase ({@code HTTP/1.1 200}) goes on as it came, as nginx passes it;
     * jwtgate's own statuses always have the space ({@code HTTP/1.1 418 }), as nginx writes its own.
     */
    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpResponse response) throws Exception {
        HttpResponseStatus status = response.status();
        if (status.reasonPhrase().isEmpty() && status != StatusPages.status(status.code())) {
            buf.writeCharSequence(response.protocolVersion().text(), CharsetUtil.US_ASCII);
            buf.writeByte(' ');
            ByteBufUtil.copy(status.codeAsText(), 0, buf, status.codeAsText().length());
            buf.writeBytes(CRLF);
            return;
        }
        super.encodeInitialLine(buf, response);
    }

    /** Marks {@code head} as a response without body: what follows it up to the last content is not written. */
    void headerOnly(HttpResponse head) {
        headerOnly = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        if (msg == headerOnly) {
            headerOnly = null;
            return true; // Netty then writes the head as it is and drops the body until the last content
        }
        return super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        int n = 0;
        int present = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                values = Arrays.copyOf(values, n * 2);
                ranks = Arrays.copyOf(ranks, n * 2);
            }
            int r = rank(e.getKey());
            names[n] = e.getKey();
            values[n] = e.getValue();
            ranks[n] = (byte) r;
            present |= 1 << r;
            n++;
        }
        for (int r = 0; r < OTHER; r++) {
            if ((present & 1 << r) == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (ranks[i] == r) {
                    buf.writeBytes(PREFIX[r]);
                    writeText(buf, values[i]);
                    buf.writeBytes(CRLF);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (ranks[i] == OTHER) {
                writeText(buf, names[i]);
                buf.writeBytes(SEPARATOR);
                writeText(buf, values[i]);
                buf.writeBytes(CRLF);
            }
        }
        Arrays.fill(names, 0, n, null);
        Arrays.fill(values, 0, n, null);
    }

    /** The position of {@code name} among nginx's own headers, or {@link #OTHER}. */
    static int rank(CharSequence name) {
        if (name instanceof Response.ListedName) {
            return OTHER;
        }
        int r = switch (name.length()) {
            case 4 -> name == Response.GZIP_VARY ? 9 : 1;
            case 6 -> 0;
            case 8 -> name == Response.ABSOLUTIZED_LOCATION ? 5 : OTHER;
            case 10 -> name.charAt(0) == 'c' || name.charAt(0) == 'C' ? 7 : 8;
            case 12 -> 2;
            case 13 -> 4;
            case 14 -> 3;
            case 17 -> 6;
            default -> OTHER;
        };
        return r != OTHER && AsciiString.contentEqualsIgnoreCase(name, FIRST[r]) ? r : OTHER;
    }

    /** Header text as the bytes it was read from: ISO-8859-1 maps each char 0-255 back to its byte. */
    private static void writeText(ByteBuf buf, CharSequence s) {
        if (s instanceof AsciiString a) {
            ByteBufUtil.copy(a, 0, buf, a.length());
        } else {
            buf.writeCharSequence(s, CharsetUtil.ISO_8859_1);
        }
    }
}
