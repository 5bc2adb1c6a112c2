package io.jwtgate.core.server;

import io.netty.buffer.ByteBuf;

/**
 * The line ends of a request head as nginx's request-line and header-line parsers take them, checked ahead of
 * Netty's decoder ({@link RequestDecoder}), which is told to take a bare LF: a line ends in LF or CR LF, and a CR
 * anywhere else is refused, as is a header line that starts with a space or a tab (obs-fold, which Netty would join to
 * the previous header) or another byte nginx refuses there. Empty lines before the request line are skipped, as nginx
 * skips them; a request line that starts with a space or a control character is refused, as nginx refuses it (Netty
 * would skip those bytes). A header line that ends in more than one CR, which nginx also takes, is refused
 * (docs/configuration.md, "Request heads").
 *
 * <p>One instance per connection; the bytes of a head may arrive in any number of pieces, each scanned once.
 */
final class HeadLineEnds {

    /** Before the request line: empty lines are skipped. */
    private static final int REQUEST_START = 0;
    private static final int REQUEST_LINE = 1;
    private static final int REQUEST_CR = 2;
    /** At the start of a header line, or of the empty line that ends the head. */
    private static final int LINE_START = 3;
    private static final int HEADER_LINE = 4;
    private static final int HEADER_CR = 5;
    /** A CR at the start of a line: the head ends if an LF follows. */
    private static final int END_CR = 6;
    /** The empty line was seen: the bytes after it are the body's, or the next request's. */
    private static final int DONE = 7;

    private int state = REQUEST_START;
    /** Bytes past the reader index already scanned. */
    private int scanned;
    /** Where the line being scanned starts, past the reader index. */
    private int lineStart;
    /** The head's bytes scanned from the request line's first on. */
    private int headLength;

    /**
     * Scans what arrived since the last call, up to the end of the head. Returns -1 while nothing is wrong, else the
     * index in {@code in} of the start of the first line nginx would refuse; {@link #inRequestLine()} tells whether it
     * is the request line.
     */
    int scan(ByteBuf in) {
        int base = in.readerIndex();
        int end = in.writerIndex();
        for (int i = base + scanned; i < end && state != DONE; i++) {
            byte b = in.getByte(i);
            switch (state) {
                case REQUEST_START:
                    if (b != '\r' && b != '\n') {
                        state = REQUEST_LINE;
                        lineStart = i - base;
                        if (b >= 0 && b <= ' ' || b == 0x7f || b >= (byte) 0x80 && b <= (byte) 0x9f) {
                            // nginx refuses a method that starts so; Netty would skip such bytes
                            return base + lineStart;
                        }
                    }
                    break;
                case REQUEST_LINE:
                    state = b == '\r' ? REQUEST_CR : b == '\n' ? startLine(i + 1 - base) : REQUEST_LINE;
                    break;
                case REQUEST_CR:
                case HEADER_CR:
                    if (b != '\n') {
                        return base + lineStart;
                    }
                    state = startLine(i + 1 - base);
                    break;
                case LINE_START:
                    if (b == '\r') {
                        state = END_CR;
                    } else if (b == '\n') {
                        state = DONE;
                    } else if (b >= 0 && b <= ' ' || b == 0x7f || b == ':') {
                        return base + lineStart; // nginx refuses a header line that starts so, folded or not
                    } else {
                        state = HEADER_LINE;
                    }
                    break;
                case END_CR:
                    if (b != '\n') {
                        return base + lineStart;
                    }
                    state = DONE;
                    break;
                default: // HEADER_LINE
                    state = b == '\r' ? HEADER_CR : b == '\n' ? startLine(i + 1 - base) : HEADER_LINE;
                    break;
            }
            scanned = i + 1 - base;
            if (state != REQUEST_START) {
                headLength++;
            }
        }
        return -1;
    }

    private int startLine(int at) {
        lineStart = at;
        return LINE_START;
    }

    /** Whether no byte of the request line has been scanned yet (only empty lines, if anything). */
    boolean beforeRequestLine() {
        return state == REQUEST_START;
    }

    /** Whether the line {@link #scan} refused is the request line. */
    boolean inRequestLine() {
        return state == REQUEST_START || state == REQUEST_LINE || state == REQUEST_CR;
    }

    /** The head's length from its request line's first byte to the LF of its empty line, once scanned whole. */
    int headLength() {
        return headLength;
    }

    /** The decoder consumed {@code bytes} from the reader index (all of them scanned). */
    void consumed(int bytes) {
        scanned = Math.max(0, scanned - bytes);
        lineStart = Math.max(0, lineStart - bytes);
    }

    /** The next request's head starts at the reader index. */
    void nextHead() {
        state = REQUEST_START;
        scanned = 0;
        lineStart = 0;
        headLength = 0;
    }
}
