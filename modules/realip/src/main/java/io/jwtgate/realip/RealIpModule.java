package io.jwtgate.realip;

import io.jwtgate.core.codec.Cidr;
import io.jwtgate.core.codec.ForwardedAddress;
import io.jwtgate.core.codec.InetText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.ProxyProtocolAddresses;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.CoreVariables;
import io.jwtgate.core.var.Variables;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code set_real_ip_from}, {@code real_ip_header}, {@code real_ip_recursive} and the variables
 * {@code $realip_remote_addr}, {@code $realip_remote_port}: nginx's {@code ngx_http_realip_module}
 * (docs/realip.md#realip).
 *
 * <p>When the connection's peer is trusted ({@code set_real_ip_from}), the address the configured header (or the
 * PROXY protocol header) gives replaces the client's address ({@link HttpExchange#setRemoteAddress}) for the rest of
 * the request, so that {@code $remote_addr}, {@code allow}/{@code deny}, limit keys and the logs see the client.
 * The same handler runs in {@link Phase#POST_READ}, with the server's configuration, right after the request head is
 * read, and again in {@link Phase#PREACCESS} with the location's; the address changes at most once per client
 * request, internal redirects included.
 */
public final class RealIpModule extends HttpModule {

    /** Where the address is read from ({@code real_ip_header}). */
    enum Source { X_REAL_IP, X_FORWARDED_FOR, HEADER, PROXY_PROTOCOL }

    /** One level's directives; {@code null} where the level has none. */
    static final class Draft {
        /** The trusted networks; empty but set after only {@code set_real_ip_from unix:}. */
        List<Cidr> from;
        Source source;
        String header;
        Boolean recursive;
    }

    /**
     * A level's merged settings, as nginx's merge: each directive inherited on its own.
     *
     * @param from the trusted networks, or {@code null} when no level set any (the handler does nothing)
     * @param header the header's name for {@link Source#HEADER}, else {@code null}
     */
    record Conf(List<Cidr> from, Source source, String header, boolean recursive) {
    }

    private static final Conf DEFAULT = new Conf(null, Source.X_REAL_IP, null, false);

    final LocSlot<Draft, Conf> conf = locSlot(LocSlot.of(Draft::new, (parent, d) -> {
        Conf p = parent != null ? parent : DEFAULT;
        return new Conf(d.from != null ? List.copyOf(d.from) : p.from(),
                d.source != null ? d.source : p.source(),
                d.source != null ? d.header : p.header(),
                d.recursive != null ? d.recursive : p.recursive());
    }));

    /**
     * Set once the client request's address was replaced: preaccess leaves what post-read did, and neither an
     * internal redirect's location nor a subrequest's replaces it again (nginx finds its context through the pool
     * cleanup it registered).
     */
    private final RequestSlot<Boolean> replaced = requestSlot(RequestSlot.Scope.WHOLE_REQUEST);

    public RealIpModule() {
        super("realip");
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("set_real_ip_from", Directive.httpServerLocation(), Arity.TAKE1, this::from),
                Directive.of("real_ip_header", Directive.httpServerLocation(), Arity.TAKE1, this::header),
                Directive.of("real_ip_recursive", Directive.httpServerLocation(), Arity.TAKE1,
                        Setters.flag(conf, dr -> dr.recursive, (dr, v) -> dr.recursive = v)));
    }

    /**
     * {@code set_real_ip_from}: {@code unix:}, an address or network, or else a host name resolved now, as nginx
     * does, each of its addresses trusted on its own.
     */
    private void from(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        if (draft.from == null) {
            draft.from = new ArrayList<>(2);
        }
        String value = d.arg(0);
        if (value.equals("unix:")) {
            return; // jwtgate never listens on a UNIX-domain socket: trusts no address, as nginx's AF_UNIX entry
        }
        Cidr cidr = Cidr.parse(value);
        if (cidr != null) {
            if (cidr.hostBitsSet()) {
                cx.warn(d, "low address bits of " + value + " are meaningless");
            }
            draft.from.add(cidr);
            return;
        }
        for (InetAddress a : resolve(d, value)) {
            draft.from.add(Cidr.host(a.getAddress()));
        }
    }

    /**
     * nginx's {@code ngx_inet_resolve_host} of a name. Java would take what the system resolver refuses (an empty
     * name for the local host, {@code [::1]}), so only letters, digits, {@code .}, {@code -} and {@code _} are
     * looked up.
     */
    private static InetAddress[] resolve(ConfDirective d, String name) throws ConfException {
        boolean hostName = !name.isEmpty();
        for (int i = 0; i < name.length() && hostName; i++) {
            char c = name.charAt(i);
            hostName = c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
        }
        if (hostName) {
            try {
                return InetAddress.getAllByName(name);
            } catch (UnknownHostException e) {
                // answered below, in nginx's words
            }
        }
        throw d.error("host not found in set_real_ip_from \"%s\"", name);
    }

    /** {@code real_ip_header}: the three names nginx knows, compared case-sensitively as nginx, or any header. */
    private void header(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.source);
        String value = d.arg(0);
        switch (value) {
            case "X-Real-IP" -> draft.source = Source.X_REAL_IP;
            case "X-Forwarded-For" -> draft.source = Source.X_FORWARDED_FOR;
            case "proxy_protocol" -> draft.source = Source.PROXY_PROTOCOL;
            default -> {
                draft.source = Source.HEADER;
                draft.header = value;
            }
        }
    }

    // ---- variables and handlers

    @Override
    public void preconfiguration(Variables variables) {
        // the connection's peer, which realip never changes (nginx keeps it in its context for these)
        variables.define("realip_remote_addr", (x, d) -> InetText.text(x.connectionAddress().getAddress()), null, 0);
        variables.define("realip_remote_port", (x, d) -> CoreVariables.port(x.connectionAddress().getPort()),
                null, 0);
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.POST_READ, this::handle);
        init.addHandler(Phase.PREACCESS, this::handle);
    }

    /** nginx's {@code ngx_http_realip_handler}; always lets the request go on. */
    private int handle(HttpExchange x) {
        Conf c = x.conf(conf);
        if (c.from() == null || x.get(replaced) != null) {
            return PhaseHandler.DECLINED;
        }
        List<String> lines;
        ProxyProtocolAddresses proxied = null;
        switch (c.source()) {
            case X_FORWARDED_FOR -> lines = x.headers("X-Forwarded-For");
            case PROXY_PROTOCOL -> {
                proxied = x.proxyProtocol();
                lines = proxied == null ? List.of() : List.of(proxied.sourceAddress());
            }
            default -> {
                String value = x.header(c.source() == Source.X_REAL_IP ? "X-Real-IP" : c.header());
                lines = value == null ? List.of() : List.of(value);
            }
        }
        if (lines.isEmpty()) {
            return PhaseHandler.DECLINED;
        }
        InetSocketAddress client = ForwardedAddress.find(x.remoteAddress(), lines, c.from(), c.recursive());
        if (client == null) {
            return PhaseHandler.DECLINED;
        }
        if (proxied != null) {
            client = new InetSocketAddress(client.getAddress(), proxied.sourcePort());
        }
        x.set(replaced, Boolean.TRUE);
        x.setRemoteAddress(client);
        return PhaseHandler.DECLINED;
    }
}
