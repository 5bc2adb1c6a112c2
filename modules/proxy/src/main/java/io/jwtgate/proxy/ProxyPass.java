package io.jwtgate.proxy;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.var.ComplexValue;

/**
 * One {@code proxy_pass}: either a constant URL, whose upstream is found or resolved once at the end of the
 * configuration, or a URL with variables, evaluated per request. Set up while the configuration loads and read-only
 * afterwards.
 */
final class ProxyPass {

    final ConfDirective where;
    /** The URL when it has variables, else {@code null}. */
    final ComplexValue variableUrl;
    /** The URL when it is constant, else {@code null}. */
    final ProxyUrl url;
    /** Length of the location prefix the URI part replaces (nginx's {@code plcf->location}). */
    final int prefixLength;
    /** The TLS contexts of the configuration load this {@code proxy_pass} belongs to. */
    final ProxySsl.Contexts tlsContexts;
    /** The upstream of a constant URL; set by {@link ProxyModule#postconfiguration}. */
    UpstreamGroup group;

    ProxyPass(ConfDirective where, ComplexValue variableUrl, ProxyUrl url, int prefixLength,
            ProxySsl.Contexts tlsContexts) {
        this.where = where;
        this.variableUrl = variableUrl;
        this.url = url;
        this.prefixLength = prefixLength;
        this.tlsContexts = tlsContexts;
    }

    /** Whether requests go over TLS: an {@code https} URL, or one with variables that may turn out so. */
    boolean mayUseTls() {
        return hasVariables() ? !where.arg(0).regionMatches(true, 0, "http://", 0, 7) : url.https();
    }

    boolean hasVariables() {
        return variableUrl != null;
    }
}
