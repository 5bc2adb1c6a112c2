package io.jwtgate.core.config;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * nginx's http ssl module, for client connections: {@code ssl_certificate}, {@code ssl_certificate_key},
 * {@code ssl_protocols}, {@code ssl_session_timeout}. The contexts are built when the listening sockets are (see
 * {@link Routing}); a {@code listen ... ssl} without a certificate for one of its servers stops start-up.
 */
public final class SslModule extends HttpModule {

    /** The protocols the JDK can offer; older ones are refused rather than silently not offered. */
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    /**
     * A server's TLS settings.
     *
     * @param certificate {@code ssl_certificate}, or {@code null}
     * @param key {@code ssl_certificate_key}, or {@code null}
     * @param where the {@code ssl_certificate} directive, for errors about the pair
     * @param protocols {@code ssl_protocols} (default TLSv1.2 TLSv1.3)
     * @param sessionTimeoutSeconds {@code ssl_session_timeout} (default 5m)
     */
    record SslConf(Path certificate, Path key, ConfDirective where, List<String> protocols,
            long sessionTimeoutSeconds) {
        static final SslConf DEFAULT = new SslConf(null, null, null, List.of("TLSv1.2", "TLSv1.3"), 300);
    }

    static final class Draft {
        Path certificate;
        ConfDirective certificateWhere;
        Path key;
        List<String> protocols;
        Long sessionTimeoutMs;
    }

    final LocSlot<Draft, SslConf> conf = locSlot(LocSlot.of(Draft::new, SslModule::merge));

    public SslModule() {
        super("ssl");
    }

    private static SslConf merge(SslConf parent, Draft d) {
        SslConf p = parent == null ? SslConf.DEFAULT : parent;
        return new SslConf(d.certificate != null ? d.certificate : p.certificate(),
                d.key != null ? d.key : p.key(),
                d.certificateWhere != null ? d.certificateWhere : p.where(),
                d.protocols != null ? d.protocols : p.protocols(),
                d.sessionTimeoutMs != null ? d.sessionTimeoutMs / 1000 : p.sessionTimeoutSeconds());
    }

    @Override
    public List<Directive> directives() {
        var hs = EnumSet.of(Context.HTTP, Context.SERVER);
        return List.of(
                Directive.of("ssl_certificate", hs, Arity.TAKE1, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    if (draft.certificate != null) {
                        throw d.error("only one \"ssl_certificate\" per level is supported");
                    }
                    draft.certificate = cx.resolvePath(d.arg(0));
                    draft.certificateWhere = d;
                }),
                Directive.of("ssl_certificate_key", hs, Arity.TAKE1, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    Setters.checkUnset(d, draft.key);
                    draft.key = cx.resolvePath(d.arg(0));
                }),
                Directive.of("ssl_protocols", hs, Arity.ONE_OR_MORE, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    Setters.checkUnset(d, draft.protocols);
                    Set<String> p = new LinkedHashSet<>();
                    for (String a : d.args()) {
                        if (a.equals("SSLv2") || a.equals("SSLv3") || a.equals("TLSv1") || a.equals("TLSv1.1")) {
                            throw d.error("obsolete protocol \"%s\" is not supported, use TLSv1.2 or TLSv1.3", a);
                        }
                        if (!PROTOCOLS.contains(a)) {
                            throw d.error("invalid value \"%s\" in \"ssl_protocols\" directive", a);
                        }
                        p.add(a);
                    }
                    draft.protocols = List.copyOf(p);
                }),
                Directive.of("ssl_session_timeout", hs, Arity.TAKE1,
                        Setters.millis(conf, c -> c.sessionTimeoutMs, (c, v) -> c.sessionTimeoutMs = v)));
    }

    /** A missing certificate or key for a TLS listener, located at the {@code listen} directive. */
    static ConfException missing(ConfDirective listen, String what) {
        return listen.error("no \"%s\" is defined for the listen ... ssl directive", what);
    }
}
