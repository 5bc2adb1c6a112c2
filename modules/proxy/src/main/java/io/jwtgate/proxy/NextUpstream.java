package io.jwtgate.proxy;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.Setters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code proxy_next_upstream}, {@code proxy_next_upstream_tries} and {@code proxy_next_upstream_timeout} of a
 * location: in which cases a request goes on to the next peer ({@code mask}, nginx's
 * {@code NGX_HTTP_UPSTREAM_FT_*} bits), at most how many peers are tried (0: no limit but the servers) and for how
 * long (0: no limit). {@link PeerConnector} applies it; see {@code docs/proxy.md}.
 *
 * @param mask the cases ({@link #ERROR}, {@link #TIMEOUT}, ...); {@link #OFF} alone for {@code off}
 * @param tries {@code proxy_next_upstream_tries} (default 0)
 * @param timeoutMs {@code proxy_next_upstream_timeout} (default 0)
 */
record NextUpstream(int mask, int tries, long timeoutMs) {

    static final int OFF = 0x1;
    static final int ERROR = 0x2;
    static final int TIMEOUT = 0x4;
    static final int INVALID_HEADER = 0x8;
    static final int HTTP_500 = 0x10;
    static final int HTTP_502 = 0x20;
    static final int HTTP_503 = 0x40;
    static final int HTTP_504 = 0x80;
    static final int HTTP_403 = 0x100;
    static final int HTTP_404 = 0x200;
    static final int HTTP_429 = 0x400;
    /** {@code updating}: only {@code proxy_cache_use_stale} gives it a meaning; accepted here as nginx does. */
    static final int UPDATING = 0x800;
    static final int NON_IDEMPOTENT = 0x4000;

    static final NextUpstream DEFAULT = new NextUpstream(ERROR | TIMEOUT, 0, 0);

    private static final Map<String, Integer> NAMES = names();

    private static Map<String, Integer> names() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("error", ERROR);
        m.put("timeout", TIMEOUT);
        m.put("invalid_header", INVALID_HEADER);
        m.put("http_500", HTTP_500);
        m.put("http_502", HTTP_502);
        m.put("http_503", HTTP_503);
        m.put("http_504", HTTP_504);
        m.put("http_403", HTTP_403);
        m.put("http_404", HTTP_404);
        m.put("http_429", HTTP_429);
        m.put("updating", UPDATING);
        m.put("non_idempotent", NON_IDEMPOTENT);
        m.put("off", OFF);
        return Map.copyOf(m);
    }

    /** The case bit of an upstream response status ({@code http_500} ...), or 0 when no case names it. */
    static int statusCase(int status) {
        return switch (status) {
            case 500 -> HTTP_500;
            case 502 -> HTTP_502;
            case 503 -> HTTP_503;
            case 504 -> HTTP_504;
            case 403 -> HTTP_403;
            case 404 -> HTTP_404;
            case 429 -> HTTP_429;
            default -> 0;
        };
    }

    /** The three directives, kept in the proxy module's location drafts. */
    static List<Directive> directives(LocSlot<ProxyConf.Draft, ?> conf) {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("proxy_next_upstream", hsl, Arity.ONE_OR_MORE, (cx, d) -> cases(cx, d, conf)),
                Directive.of("proxy_next_upstream_tries", hsl, Arity.TAKE1,
                        Setters.number(conf, c -> c.nextUpstreamTries, (c, v) -> c.nextUpstreamTries = v)),
                Directive.of("proxy_next_upstream_timeout", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.nextUpstreamTimeoutMs, (c, v) -> c.nextUpstreamTimeoutMs = v)));
    }

    /** nginx's {@code ngx_conf_set_bitmask_slot}: the words add up, also over several lines of one level. */
    private static void cases(ConfContext cx, ConfDirective d, LocSlot<ProxyConf.Draft, ?> conf)
            throws ConfException {
        ProxyConf.Draft draft = cx.loc(conf);
        int mask = draft.nextUpstream == null ? 0 : draft.nextUpstream;
        for (String word : d.args()) {
            Integer bit = NAMES.get(ConfValues.lower(word));
            if (bit == null) {
                throw d.error("invalid value \"%s\"", word);
            }
            if ((mask & bit) != 0) {
                cx.warn(d, "duplicate value \"" + word + "\"");
            }
            mask |= bit;
        }
        draft.nextUpstream = mask;
    }

    /** The settings of a level: its own where set, else the parent's. */
    static NextUpstream merge(NextUpstream parent, ProxyConf.Draft d) {
        int mask = d.nextUpstream != null ? d.nextUpstream : parent.mask;
        if ((mask & OFF) != 0) {
            mask = OFF;
        }
        return new NextUpstream(mask,
                d.nextUpstreamTries != null ? d.nextUpstreamTries : parent.tries,
                d.nextUpstreamTimeoutMs != null ? d.nextUpstreamTimeoutMs : parent.timeoutMs);
    }
}
