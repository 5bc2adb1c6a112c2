package io.jwtgate.core.server;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * The request line judged as nginx's parser judges it, before a request is routed: what Netty's decoder refused,
 * the method's and the target's bytes, the protocol version. A refusal carries nginx's status and its words for the
 * error log (docs/configuration.md#error_log); the header checks follow in {@link HttpConnection}.
 */
final class RequestLineCheck {

    /** Why a request is refused: the status to answer and the error-log reason. */
    record Refusal(int status, String reason) {
    }

    private RequestLineCheck() {
    }

    /** The refusal of {@code req}'s request line, or {@code null} when nginx would take it. */
    static Refusal refusal(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int code = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongFrameException ? 494 // nginx's "Request Header Or Cookie Too Large"
                    : isUnknownTransferCoding(cause) ? 501 : 400;
            return new Refusal(code, decoderFailure(code, req, cause));
        }
        if (!isNginxMethod(req.method().name())) {
            return new Refusal(400, "client sent invalid method");
        }
        if (!isNginxTarget(req.uri())) {
            return new Refusal(400, "client sent invalid request target");
        }
        if (req.protocolVersion().majorVersion() != 1) {
            return new Refusal(505, "client sent unsupported HTTP version");
        }
        return null;
    }

    /** nginx's request-line parser takes only capital letters, {@code _} and {@code -} in a method name. */
    private static boolean isNginxMethod(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * nginx's request-line parser answers 400 for a control character or DEL anywhere in the target (path, query or
     * fragment); bytes 0x80-0xFF pass, as in nginx. The decoder's string holds one char per byte.
     */
    private static boolean isNginxTarget(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * nginx's words for a request Netty's decoder refused, never Netty's own: the request line (Netty then stands in
     * a {@code GET /bad-request HTTP/1.0}) or a header line was malformed, or too long.
     */
    private static String decoderFailure(int code, HttpRequest req, Throwable cause) {
        switch (code) {
            case 414:
                return "client sent too long URI";
            case 494:
                return "client sent too large request";
            case 501:
                String te = req.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
                return "client sent unknown \"Transfer-Encoding\"" + (te == null ? "" : ": \"" + te + "\"");
            default:
                if (cause != null && RequestDecoder.BOTH_LENGTHS.equals(cause.getMessage())) {
                    return "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time";
                }
                return req.uri().equals("/bad-request") && req.protocolVersion() == HttpVersion.HTTP_1_0
                        ? "client sent invalid request" : "client sent invalid header line";
        }
    }

    /** Netty rejects a final transfer coding other than chunked; nginx answers that with 501. */
    private static boolean isUnknownTransferCoding(Throwable cause) {
        return cause instanceof IllegalArgumentException && cause.getMessage() != null
                && cause.getMessage().contains("transfer coding");
    }
}
