package io.jwtgate.proxy;

import io.jwtgate.core.codec.PemFiles;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.Setters;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The proxy module's TLS to upstreams, nginx's {@code proxy_ssl_*} directives: their setters, the merge of a
 * level's settings, and the contexts built from them (see {@link UpstreamTls} and {@code docs/proxy.md}).
 */
final class ProxySsl {

    /**
     * The TLS contexts of one configuration load, one per distinct settings: part of the proxy module's http-wide
     * configuration, reached from the {@code proxy_pass} a location merges.
     */
    static final class Contexts {
        private final Map<UpstreamTls.Settings, SslContext> bySettings = new HashMap<>();
        private final Map<ProxyConf.Ssl, UpstreamTls> bySsl = new HashMap<>();

        /** The TLS of {@code ssl}, built once per distinct settings; errors are located at {@code where}. */
        UpstreamTls of(ProxyConf.Ssl ssl, ConfDirective where) throws ConfException {
            UpstreamTls t = bySsl.get(ssl);
            if (t != null) {
                return t;
            }
            SslContext ctx = bySettings.get(ssl.settings());
            if (ctx == null) {
                try {
                    ctx = UpstreamTls.context(ssl.settings());
                } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
                    throw where.error("cannot create the SSL context for \"proxy_pass\": %s", e.getMessage());
                }
                bySettings.put(ssl.settings(), ctx);
            }
            t = new UpstreamTls(ctx, ssl.settings().verify(), ssl.serverName(), ssl.name());
            bySsl.put(ssl, t);
            return t;
        }
    }

    private ProxySsl() {
    }

    static List<Directive> directives(LocSlot<ProxyConf.Draft, ?> conf) {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("proxy_ssl_server_name", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.sslServerName, (c, v) -> c.sslServerName = v)),
                Directive.of("proxy_ssl_name", hsl, Arity.TAKE1, (cx, d) -> name(cx.loc(conf), cx, d)),
                Directive.of("proxy_ssl_verify", hsl, Arity.TAKE1, (cx, d) -> verify(conf, cx, d)),
                Directive.of("proxy_ssl_verify_depth", hsl, Arity.TAKE1,
                        Setters.number(conf, c -> c.sslVerifyDepth, (c, v) -> c.sslVerifyDepth = v)),
                Directive.of("proxy_ssl_trusted_certificate", hsl, Arity.TAKE1,
                        (cx, d) -> trustedCertificate(cx.loc(conf), cx, d)),
                Directive.of("proxy_ssl_protocols", hsl, Arity.ONE_OR_MORE, (cx, d) -> protocols(cx.loc(conf), d)));
    }

    private static void name(ProxyConf.Draft draft, ConfContext cx, ConfDirective d) throws ConfException {
        Setters.checkUnset(d, draft.sslName);
        if (!cx.compile(d, d.arg(0)).isConstant()) {
            throw d.error("variables are not supported in \"proxy_ssl_name\" directive");
        }
        draft.sslName = d.arg(0);
    }

    private static void verify(LocSlot<ProxyConf.Draft, ?> conf, ConfContext cx, ConfDirective d)
            throws ConfException {
        Setters.flag(conf, c -> c.sslVerify, (c, v) -> c.sslVerify = v).set(cx, d);
        if (!cx.loc(conf).sslVerify) {
            cx.warn(d, "\"proxy_ssl_verify off\": certificates of https upstreams are not verified");
        }
    }

    private static void trustedCertificate(ProxyConf.Draft draft, ConfContext cx, ConfDirective d)
            throws ConfException {
        Setters.checkUnset(d, draft.sslTrusted);
        Path file = cx.resolvePath(d.arg(0));
        try {
            draft.sslTrusted = List.copyOf(PemFiles.certificates(file));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String why = e instanceof NoSuchFileException ? "no such file"
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            throw d.error("cannot load trusted certificate \"%s\": %s", file, why);
        }
    }

    private static void protocols(ProxyConf.Draft draft, ConfDirective d) throws ConfException {
        Setters.checkUnset(d, draft.sslProtocols);
        Set<String> p = new LinkedHashSet<>();
        for (String a : d.args()) {
            if (a.equals("SSLv2") || a.equals("SSLv3") || a.equals("TLSv1") || a.equals("TLSv1.1")) {
                throw d.error("obsolete protocol \"%s\" is not supported, use TLSv1.2 or TLSv1.3", a);
            }
            if (!a.equals("TLSv1.2") && !a.equals("TLSv1.3")) {
                throw d.error("invalid value \"%s\" in \"%s\" directive", a, d.name());
            }
            p.add(a);
        }
        draft.sslProtocols = List.copyOf(p);
    }

    /** The merged {@code proxy_ssl_*} settings of a level. */
    static ProxyConf.Ssl merge(ProxyConf.Ssl p, ProxyConf.Draft d) {
        if (d.sslEmpty()) {
            return p;
        }
        UpstreamTls.Settings ps = p.settings();
        return new ProxyConf.Ssl(d.sslServerName != null ? d.sslServerName : p.serverName(),
                d.sslName != null ? d.sslName : p.name(),
                new UpstreamTls.Settings(d.sslVerify != null ? d.sslVerify : ps.verify(),
                        d.sslVerifyDepth != null ? d.sslVerifyDepth : ps.depth(),
                        d.sslTrusted != null ? d.sslTrusted : ps.trusted(),
                        d.sslProtocols != null ? d.sslProtocols : ps.protocols()));
    }
}
