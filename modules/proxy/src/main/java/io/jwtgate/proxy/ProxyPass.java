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
    /** The upstream of a constant URL; set by {@link ProxyModule#postconfiguration}. */
    UpstreamGroup group;

    ProxyPass(ConfDirective where, ComplexValue variableUrl, ProxyUrl url, int prefixLength) {
        this.where = where;
        this.variableUrl = variableUrl;
        this.url = url;
        this.prefixLength = prefixLength;
    }

    boolean hasVariables() {
        return variableUrl != null;
    }
}
