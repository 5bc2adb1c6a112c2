package io.jwtgate.proxy.resolve;

import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;

/**
 * Why a name could not be resolved, as nginx's resolver reports it: {@code (3: Host not found)} for NXDOMAIN and for
 * an answer without addresses, the DNS response code for other errors, {@code (110: Operation timed out)} when no
 * answer came within {@code resolver_timeout}. Immutable.
 *
 * @param code nginx's number: the DNS response code, or 110 for a time-out
 * @param text nginx's text for the number ({@code ngx_resolver_strerror})
 */
public record ResolveFailure(int code, String text) {

    public static final ResolveFailure TIMED_OUT = new ResolveFailure(110, "Operation timed out");
    public static final ResolveFailure NOT_FOUND = new ResolveFailure(3, "Host not found");

    private static final String[] TEXTS = {"Format error", "Server failure", "Host not found", "Unimplemented",
        "Operation refused"};

    /** The failure a Netty resolution ended with. */
    static ResolveFailure of(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) {
                return TIMED_OUT;
            }
            if (t instanceof DnsErrorCauseException e) {
                return ofCode(e.getCode());
            }
        }
        // NOERROR without addresses, and every other failure to get an answer with addresses
        return NOT_FOUND;
    }

    private static ResolveFailure ofCode(DnsResponseCode rcode) {
        int c = rcode.intValue();
        return new ResolveFailure(c, c > 0 && c <= TEXTS.length ? TEXTS[c - 1] : "Unknown error");
    }

    /** {@code (3: Host not found)}, as nginx's log lines show it. */
    @Override
    public String toString() {
        return "(" + code + ": " + text + ")";
    }
}
