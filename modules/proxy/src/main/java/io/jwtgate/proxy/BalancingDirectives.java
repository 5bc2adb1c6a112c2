package io.jwtgate.proxy;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The balancing directives of an {@code upstream} block ({@code least_conn}, {@code hash}, {@code ip_hash},
 * {@code random}) and {@code zone}, with nginx's checks and words. {@link #zone} is the one place a block's zone is
 * read; whether a block has one is {@code Upstreams.Block.zone}. See {@code docs/proxy.md}.
 */
final class BalancingDirectives {

    /** nginx refuses a zone under eight pages ({@code 8 * ngx_pagesize}, 4 KiB pages). */
    private static final long MIN_ZONE_SIZE = 8 * 4096;

    private BalancingDirectives() {
    }

    static List<Directive> directives(MainSlot<Upstreams> main) {
        Set<Context> up = EnumSet.of(Context.UPSTREAM);
        return List.of(
                Directive.of("least_conn", up, Arity.NONE, (cx, d) ->
                        choose(cx, d, new Balancing(Balancing.Kind.LEAST_CONN, null))),
                Directive.of("ip_hash", up, Arity.NONE, (cx, d) ->
                        choose(cx, d, new Balancing(Balancing.Kind.IP_HASH, null))),
                Directive.of("hash", up, Arity.TAKE12, BalancingDirectives::hash),
                Directive.of("random", up, new Arity(0, 2), BalancingDirectives::random),
                Directive.of("zone", up, Arity.TAKE12, (cx, d) -> zone(cx, d, cx.main(main).zoneSizes)));
    }

    private static void hash(ConfContext cx, ConfDirective d) throws ConfException {
        Balancing.Kind kind = Balancing.Kind.HASH;
        if (d.args().size() == 2) {
            if (!d.arg(1).equals("consistent")) {
                throw d.error("invalid parameter \"%s\"", d.arg(1));
            }
            kind = Balancing.Kind.CONSISTENT_HASH;
        }
        choose(cx, d, new Balancing(kind, cx.compile(d, d.arg(0))));
    }

    private static void random(ConfContext cx, ConfDirective d) throws ConfException {
        Balancing.Kind kind = Balancing.Kind.RANDOM;
        if (!d.args().isEmpty()) {
            if (!d.arg(0).equals("two")) {
                throw d.error("invalid parameter \"%s\"", d.arg(0));
            }
            if (d.args().size() == 2 && !d.arg(1).equals("least_conn")) {
                throw d.error("invalid parameter \"%s\"", d.arg(1));
            }
            kind = Balancing.Kind.RANDOM_TWO;
        }
        choose(cx, d, new Balancing(kind, null));
    }

    private static void choose(ConfContext cx, ConfDirective d, Balancing b) {
        Upstreams.Block u = cx.block(Upstreams.Block.class);
        if (u.balancingSet) {
            cx.warn(d, "load balancing method redefined");
        }
        u.balancingSet = true;
        u.balancing = b;
    }

    /**
     * {@code zone name [size]}: the block's peer state is shared by every event loop. Sizes are checked as nginx
     * checks its shared memory ({@code zoneSizes} holds each name's declared size, 0 when none yet); the size has
     * no other effect in jwtgate, whose state lives on the heap.
     */
    static void zone(ConfContext cx, ConfDirective d, Map<String, Long> zoneSizes) throws ConfException {
        Upstreams.Block u = cx.block(Upstreams.Block.class);
        String name = d.arg(0);
        if (name.isEmpty()) {
            throw d.error("invalid zone name \"%s\"", name);
        }
        long size = 0;
        if (d.args().size() == 2) {
            size = ConfValues.bytes(d.arg(1));
            if (size < 0) {
                throw d.error("invalid zone size \"%s\"", d.arg(1));
            }
            if (size < MIN_ZONE_SIZE) {
                throw d.error("zone \"%s\" is too small", name);
            }
        }
        Long declared = zoneSizes.get(name);
        if (declared != null && declared != 0 && size != 0 && size != declared) {
            throw d.error("the size %d of shared memory zone \"%s\" conflicts with already declared size %d", size,
                    name, declared);
        }
        if (declared == null || declared == 0) {
            zoneSizes.put(name, size);
        }
        u.zone = name;
        u.zoneSize = size;
    }

    /** Once every block is read: a zone no block gave a size is refused, without a place, as nginx does. */
    static void checkZoneSizes(Map<String, Long> zoneSizes) throws ConfException {
        for (Map.Entry<String, Long> z : zoneSizes.entrySet()) {
            if (z.getValue() == 0) {
                throw new ConfException("zero size shared memory zone \"" + z.getKey() + "\"");
            }
        }
    }
}
