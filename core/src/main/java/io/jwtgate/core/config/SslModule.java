package io.jwtgate.core.config;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.tls.CipherString;
import io.jwtgate.core.var.SslVariables;
import io.jwtgate.core.var.Variables;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * nginx's http ssl module, for client connections: {@code ssl_certificate}, {@code ssl_certificate_key},
 * {@code ssl_protocols}, {@code ssl_ciphers}, {@code ssl_prefer_server_ciphers}, {@code ssl_session_cache},
 * {@code ssl_session_timeout}, {@code ssl_buffer_size}, {@code ssl_early_data}, and the {@code $ssl_*} variables;
 * the directives the JDK's TLS stack sets for the whole process are in {@link NoEffectModule}. The contexts are built
 * when the listening sockets are (see {@link Routing}); a {@code listen ... ssl} without a certificate for one of its
 * servers stops start-up.
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
     * @param ciphers the JDK suites {@code ssl_ciphers} chose (default {@code HIGH:!aNULL:!MD5})
     * @param preferServerCiphers {@code ssl_prefer_server_ciphers} (default off)
     * @param sessionCacheSize sessions {@code ssl_session_cache} keeps, or -1 for the JDK's default (20480)
     * @param bufferSize {@code ssl_buffer_size} (default 16k): plain text per TLS record
     */
    record SslConf(Path certificate, Path key, ConfDirective where, List<String> protocols,
            long sessionTimeoutSeconds, List<String> ciphers, boolean preferServerCiphers, long sessionCacheSize,
            int bufferSize) {
        static final SslConf DEFAULT = new SslConf(null, null, null, List.of("TLSv1.2", "TLSv1.3"), 300,
                CipherString.select(DEFAULT_CIPHERS), false, -1, 16384);
    }

    /** nginx's default {@code ssl_ciphers}. */
    static final String DEFAULT_CIPHERS = "HIGH:!aNULL:!MD5";

    static final class Draft {
        Path certificate;
        ConfDirective certificateWhere;
        Path key;
        List<String> protocols;
        Long sessionTimeoutMs;
        List<String> ciphers;
        Boolean preferServerCiphers;
        Long sessionCacheSize;
        Long bufferSize;
        Boolean earlyData;
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
                d.sessionTimeoutMs != null ? d.sessionTimeoutMs / 1000 : p.sessionTimeoutSeconds(),
                d.ciphers != null ? d.ciphers : p.ciphers(),
                d.preferServerCiphers != null ? d.preferServerCiphers : p.preferServerCiphers(),
                d.sessionCacheSize != null ? d.sessionCacheSize : p.sessionCacheSize(),
                d.bufferSize != null ? (int) Math.min(d.bufferSize, Integer.MAX_VALUE) : p.bufferSize());
    }

    @Override
    public void preconfiguration(Variables variables) {
        SslVariables.define(variables);
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
                        Setters.millis(conf, c -> c.sessionTimeoutMs, (c, v) -> c.sessionTimeoutMs = v)),
                Directive.of("ssl_ciphers", hs, Arity.TAKE1, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    Setters.checkUnset(d, draft.ciphers);
                    try {
                        draft.ciphers = CipherString.select(d.arg(0));
                    } catch (IllegalArgumentException e) {
                        throw d.error("SSL_CTX_set_cipher_list(\"%s\") failed (%s)", d.arg(0), e.getMessage());
                    }
                }),
                Directive.of("ssl_prefer_server_ciphers", hs, Arity.TAKE1, Setters.flag(conf,
                        c -> c.preferServerCiphers, (c, v) -> c.preferServerCiphers = v)),
                Directive.of("ssl_session_cache", hs, Arity.TAKE12, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    Setters.checkUnset(d, draft.sessionCacheSize);
                    draft.sessionCacheSize = sessionCache(d);
                }),
                Directive.of("ssl_buffer_size", hs, Arity.TAKE1,
                        Setters.bytes(conf, c -> c.bufferSize, (c, v) -> c.bufferSize = v)),
                Directive.of("ssl_early_data", hs, Arity.TAKE1, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    Setters.checkUnset(d, draft.earlyData);
                    draft.earlyData = ConfValues.flag(d.arg(0));
                    if (draft.earlyData == null) {
                        throw d.error("invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"",
                                d.arg(0), d.name());
                    }
                    if (draft.earlyData) {
                        throw d.error("\"ssl_early_data on\": TLS 1.3 early data is not supported, the JDK's TLS "
                                + "stack does not accept it");
                    }
                }));
    }

    /**
     * The sessions {@code ssl_session_cache} keeps, checked as nginx checks it: {@code off} and {@code none} leave the
     * JDK's cache as it is (-1), {@code builtin[:size]} counts sessions, {@code shared:name:size} is bytes, about 4000
     * sessions a megabyte as nginx's (one process: the cache is the context's own).
     */
    private static long sessionCache(ConfDirective d) throws ConfException {
        long sessions = -1;
        for (String a : d.args()) {
            if (a.equals("off") || a.equals("none")) {
                continue; // nginx takes either beside other caches too
            }
            if (a.equals("builtin")) {
                sessions = Math.max(sessions, 20480);
            } else if (a.startsWith("builtin:")) {
                long n = ConfValues.number(a.substring(8));
                if (n <= 0) {
                    throw d.error("invalid session cache \"%s\"", a);
                }
                sessions = Math.max(sessions, n);
            } else if (a.startsWith("shared:")) {
                int colon = a.indexOf(':', 7);
                long size = colon < 0 ? -1 : ConfValues.bytes(a.substring(colon + 1));
                if (colon <= 7 || size < 0) {
                    throw d.error("invalid session cache \"%s\"", a);
                }
                if (size < 8 * 4096) {
                    throw d.error("session cache \"%s\" is too small", a);
                }
                sessions = Math.max(sessions, size / 256);
            } else {
                throw d.error("invalid session cache \"%s\"", a);
            }
        }
        return sessions;
    }

    /** A missing certificate or key for a TLS listener, located at the {@code listen} directive. */
    static ConfException missing(ConfDirective listen, String what) {
        return listen.error("no \"%s\" is defined for the listen ... ssl directive", what);
    }
}
