package io.jwtgate.core.config;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.NotModified;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.CoreVariables;
import io.jwtgate.core.var.Variables;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * nginx's http core module: {@code server}, {@code listen}, {@code server_name}, {@code location},
 * {@code internal}, the client limits and timeouts, {@code satisfy}, {@code server_tokens}, {@code error_page},
 * {@code if_modified_since} and {@code max_ranges} (for the modules that apply {@code NotModified} and
 * {@code Ranges}), and the core variables.
 */
public final class HttpCoreModule extends HttpModule {

    final LocSlot<CoreLocConf.Draft, CoreLocConf> conf =
            locSlot(LocSlot.of(CoreLocConf.Draft::new, CoreLocConf::merge));

    private static final Map<String, NotModified.IfModifiedSince> IF_MODIFIED_SINCE = Map.of(
            "off", NotModified.IfModifiedSince.OFF, "exact", NotModified.IfModifiedSince.EXACT,
            "before", NotModified.IfModifiedSince.BEFORE);

    public HttpCoreModule() {
        super("http_core");
    }

    @Override
    public void preconfiguration(Variables variables) {
        CoreVariables.define(variables);
    }

    @Override
    public List<Directive> directives() {
        Set<Context> hsl = Directive.httpServerLocation();
        Set<Context> hs = EnumSet.of(Context.HTTP, Context.SERVER);
        List<Directive> directives = new ArrayList<>(ErrorPageDirectives.directives(conf));
        directives.addAll(WireDirectives.directives(conf));
        directives.addAll(List.of(
                Directive.block("server", EnumSet.of(Context.HTTP), Arity.NONE, (cx, d) -> {
                    ConfReader r = (ConfReader) cx;
                    Level http = r.level();
                    Level server = new Level(Context.SERVER, http, r.slotCount(), d);
                    http.children.add(server);
                    cx.parseBlock(d, Context.SERVER, server);
                }),
                Directive.block("location", EnumSet.of(Context.SERVER, Context.LOCATION), Arity.TAKE12,
                        HttpCoreModule::location),
                Directive.of("listen", EnumSet.of(Context.SERVER), Arity.ONE_OR_MORE, HttpCoreModule::listen),
                Directive.of("server_name", EnumSet.of(Context.SERVER), Arity.ONE_OR_MORE, (cx, d) -> {
                    Level server = ((ConfReader) cx).level();
                    for (String name : d.args()) {
                        if (name.isEmpty() || name.charAt(0) != '~') {
                            name = ConfValues.lower(name);
                        }
                        server.names.add(name);
                        if (name.startsWith("~")) {
                            defineNamedCaptures(cx, d, name.substring(1));
                        }
                    }
                    if (server.firstServerName == null) {
                        server.firstServerName = d;
                    }
                }),
                Directive.block("limit_except", EnumSet.of(Context.LOCATION), Arity.ONE_OR_MORE, LimitExcept::read),
                Directive.of("internal", EnumSet.of(Context.LOCATION), Arity.NONE, (cx, d) -> {
                    cx.location().setInternal();
                }),
                Directive.of("client_max_body_size", hsl, Arity.TAKE1,
                        Setters.bytes(conf, c -> c.clientMaxBodySize, (c, v) -> c.clientMaxBodySize = v)),
                Directive.of("client_header_timeout", hs, Arity.TAKE1,
                        Setters.millis(conf, c -> c.clientHeaderTimeoutMs, (c, v) -> c.clientHeaderTimeoutMs = v)),
                Directive.of("ignore_invalid_headers", hs, Arity.TAKE1,
                        Setters.flag(conf, c -> c.ignoreInvalidHeaders, (c, v) -> c.ignoreInvalidHeaders = v)),
                Directive.of("absolute_redirect", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.absoluteRedirect, (c, v) -> c.absoluteRedirect = v)),
                Directive.of("port_in_redirect", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.portInRedirect, (c, v) -> c.portInRedirect = v)),
                Directive.of("server_name_in_redirect", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.serverNameInRedirect, (c, v) -> c.serverNameInRedirect = v)),
                Directive.of("underscores_in_headers", hs, Arity.TAKE1,
                        Setters.flag(conf, c -> c.underscoresInHeaders, (c, v) -> c.underscoresInHeaders = v)),
                Directive.of("keepalive_disable", hsl, Arity.ONE_OR_MORE, this::keepaliveDisable),
                Directive.of("send_timeout", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.sendTimeoutMs, (c, v) -> c.sendTimeoutMs = v)),
                Directive.of("client_body_timeout", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.clientBodyTimeoutMs, (c, v) -> c.clientBodyTimeoutMs = v)),
                Directive.of("keepalive_timeout", hsl, Arity.TAKE12, (cx, d) -> {
                    CoreLocConf.Draft c = cx.loc(conf);
                    Setters.checkUnset(d, c.keepaliveTimeoutMs);
                    c.keepaliveTimeoutMs = Setters.millis(d, d.arg(0));
                    if (d.args().size() > 1) {
                        long header = ConfValues.seconds(d.arg(1));
                        if (header < 0) {
                            throw d.error("invalid value \"%s\" in \"keepalive_timeout\" directive", d.arg(1));
                        }
                        c.keepaliveHeaderSeconds = header;
                    }
                }),
                Directive.of("keepalive_requests", hsl, Arity.TAKE1,
                        Setters.number(conf, c -> c.keepaliveRequests, (c, v) -> c.keepaliveRequests = v)),
                Directive.of("keepalive_time", hsl, Arity.TAKE1,
                        Setters.millis(conf, c -> c.keepaliveTimeMs, (c, v) -> c.keepaliveTimeMs = v)),
                Directive.of("large_client_header_buffers", hs, Arity.TAKE2, (cx, d) -> {
                    CoreLocConf.Draft c = cx.loc(conf);
                    Setters.checkUnset(d, c.largeHeaderBuffers);
                    int number = ConfValues.number(d.arg(0));
                    long size = ConfValues.bytes(d.arg(1));
                    if (number <= 0 || size <= 0 || size > Integer.MAX_VALUE) {
                        throw d.error("\"%s\" directive invalid value", d.name());
                    }
                    c.largeHeaderBuffers = number;
                    c.largeHeaderBufferSize = (int) size;
                }),
                Directive.of("reset_timedout_connection", hsl, Arity.TAKE1, Setters.flag(conf,
                        c -> c.resetTimedoutConnection, (c, v) -> c.resetTimedoutConnection = v)),
                Directive.of("if_modified_since", hsl, Arity.TAKE1, (cx, d) -> {
                    CoreLocConf.Draft c = cx.loc(conf);
                    Setters.checkUnset(d, c.ifModifiedSince);
                    // nginx's enum slot: any case, and only the value in its message
                    c.ifModifiedSince = IF_MODIFIED_SINCE.get(ConfValues.lower(d.arg(0)));
                    if (c.ifModifiedSince == null) {
                        throw d.error("invalid value \"%s\"", d.arg(0));
                    }
                }),
                Directive.of("max_ranges", hsl, Arity.TAKE1,
                        Setters.number(conf, c -> c.maxRanges, (c, v) -> c.maxRanges = v)),
                Directive.of("server_tokens", hsl, Arity.TAKE1, (cx, d) -> {
                    CoreLocConf.Draft c = cx.loc(conf);
                    Setters.checkUnset(d, c.serverTokens);
                    // nginx's enum slot, with its words; build is on: jwtgate has no build name to add
                    c.serverTokens = Map.of("on", Boolean.TRUE, "off", Boolean.FALSE, "build", Boolean.TRUE)
                            .get(ConfValues.lower(d.arg(0)));
                    if (c.serverTokens == null) {
                        throw d.error("invalid value \"%s\"", d.arg(0));
                    }
                }),
                Directive.of("satisfy", hsl, Arity.TAKE1,
                        Setters.oneOf(conf, Map.of("all", Boolean.FALSE, "any", Boolean.TRUE), c -> c.satisfyAny,
                                (c, v) -> c.satisfyAny = v))));
        return directives;
    }

    /** nginx's bitmask slot: words add up over a level's lines, a repeated one warns, {@code none} adds nothing. */
    private void keepaliveDisable(ConfContext cx, ConfDirective d) throws ConfException {
        CoreLocConf.Draft c = cx.loc(conf);
        int bits = c.keepaliveDisable == null ? 0 : c.keepaliveDisable;
        for (String arg : d.args()) {
            int bit = switch (ConfValues.lower(arg)) {
                case "none" -> 0;
                case "msie6" -> CoreLocConf.KEEPALIVE_DISABLE_MSIE6;
                case "safari" -> CoreLocConf.KEEPALIVE_DISABLE_SAFARI;
                default -> throw d.error("invalid value \"%s\"", arg);
            };
            if (bit != 0 && (bits & bit) != 0) {
                cx.warn(d, "duplicate value \"" + arg + "\"");
            }
            bits |= bit;
        }
        c.keepaliveDisable = bits;
    }

    private static void location(ConfContext cx, ConfDirective d) throws ConfException {
        ConfReader r = (ConfReader) cx;
        Level parent = r.level();
        Level loc = new Level(Context.LOCATION, parent, r.slotCount(), d);
        String first = d.arg(0);
        if (d.args().size() == 2) {
            loc.pattern = d.arg(1);
            switch (first) {
                case "=":
                    loc.modifier = Level.Modifier.EXACT;
                    break;
                case "^~":
                    loc.modifier = Level.Modifier.PREFIX_NOREGEX;
                    break;
                case "~":
                    loc.modifier = Level.Modifier.REGEX;
                    break;
                case "~*":
                    loc.modifier = Level.Modifier.REGEX_CASELESS;
                    break;
                default: throw d.error("invalid location modifier \"%s\"", first);
            }
        } else if (first.startsWith("=")) {
            loc.modifier = Level.Modifier.EXACT;
            loc.pattern = first.substring(1);
        } else if (first.startsWith("^~")) {
            loc.modifier = Level.Modifier.PREFIX_NOREGEX;
            loc.pattern = first.substring(2);
        } else if (first.startsWith("~*")) {
            loc.modifier = Level.Modifier.REGEX_CASELESS;
            loc.pattern = first.substring(2);
        } else if (first.startsWith("~")) {
            loc.modifier = Level.Modifier.REGEX;
            loc.pattern = first.substring(1);
        } else if (first.startsWith("@")) {
            loc.modifier = Level.Modifier.NAMED;
            loc.pattern = first;
        } else {
            loc.modifier = Level.Modifier.PREFIX;
            loc.pattern = first;
        }
        if (loc.pattern.isEmpty()) {
            throw d.error("invalid location");
        }
        checkNamed(cx, d, parent, loc);
        parent.children.add(loc);
        if (loc.modifier == Level.Modifier.REGEX || loc.modifier == Level.Modifier.REGEX_CASELESS) {
            defineNamedCaptures(cx, d, loc.pattern);
        }
        cx.parseBlock(d, Context.LOCATION, loc);
    }

    /**
     * nginx's rules for named locations ({@code ngx_http_core_location}): nothing nests in one, and one sits only at
     * server level; a second with the same name is refused (docs/configuration.md#named-locations).
     */
    private static void checkNamed(ConfContext cx, ConfDirective d, Level parent, Level loc) throws ConfException {
        if (parent.kind == Context.LOCATION) {
            if (parent.modifier == Level.Modifier.NAMED) {
                throw d.error("location \"%s\" cannot be inside the named location \"%s\"", loc.pattern,
                        parent.pattern);
            }
            if (loc.modifier == Level.Modifier.NAMED) {
                // the location tree, which checks the rest of nesting, never sees named locations
                if (parent.modifier == Level.Modifier.EXACT) {
                    throw d.error("location \"%s\" cannot be inside the exact location \"%s\"", loc.pattern,
                            parent.pattern);
                }
                throw d.error("named location \"%s\" can be on the server level only", loc.pattern);
            }
        }
        if (loc.modifier == Level.Modifier.NAMED) {
            for (Level sibling : parent.children) {
                if (sibling.modifier == Level.Modifier.NAMED && sibling.pattern.equals(loc.pattern)) {
                    // nginx accepts it silently and uses the first (docs/configuration.md#named-locations)
                    cx.warn(d, "duplicate named location \"" + loc.pattern + "\": the first one is used");
                    break;
                }
            }
        }
    }

    /**
     * nginx makes the named groups of location and server name regexes variables ({@code (?<id>\\d+)} gives
     * {@code $id}); they read the request's match. A bad pattern is left for the routing build to report.
     */
    private static void defineNamedCaptures(ConfContext cx, ConfDirective d, String pattern)
            throws ConfException {
        Set<String> names;
        try {
            names = NginxRegex.compile(pattern, false).names();
        } catch (PatternSyntaxException e) {
            return;
        }
        for (String name : names) {
            try {
                cx.variables().define(name, (x, data) -> x.capture((String) data), name,
                        Variables.CHANGEABLE | Variables.NOCACHE);
            } catch (IllegalArgumentException e) {
                throw d.error(e.getMessage());
            }
        }
    }

    private static void listen(ConfContext cx, ConfDirective d) throws ConfException {
        Level server = ((ConfReader) cx).level();
        String spec = d.arg(0);
        if (spec.startsWith("unix:")) {
            throw d.error("unix domain sockets are not supported in \"listen\" directive");
        }
        String host;
        String port;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0) {
                throw d.error("invalid IPv6 address in \"%s\" of the \"listen\" directive", spec);
            }
            host = spec.substring(1, close);
            port = close + 1 < spec.length() && spec.charAt(close + 1) == ':' ? spec.substring(close + 2) : "80";
        } else {
            int colon = spec.lastIndexOf(':');
            if (colon >= 0) {
                host = spec.substring(0, colon);
                port = spec.substring(colon + 1);
            } else if (ConfValues.number(spec) >= 0) {
                host = "*";
                port = spec;
            } else {
                host = spec;
                port = "80";
            }
        }
        int p = ConfValues.number(port);
        if (p <= 0 || p > 65535) {
            throw d.error("invalid port in \"%s\" of the \"listen\" directive", spec);
        }
        InetSocketAddress address;
        try {
            address = host.equals("*") || host.isEmpty() ? new InetSocketAddress(p)
                    : new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw d.error("host not found in \"%s\" of the \"listen\" directive", spec);
        }
        boolean def = false;
        boolean ssl = false;
        boolean proxyProtocol = false;
        ListenOptions options = new ListenOptions();
        for (String param : d.args().subList(1, d.args().size())) {
            if (options.read(d, param)) {
                continue;
            }
            switch (param) {
                case "default_server":
                case "default":
                    def = true;
                    break;
                case "ssl":
                    ssl = true;
                    break;
                case "proxy_protocol":
                    proxyProtocol = true;
                    break;
                case "http2":
                    throw d.error("the \"http2\" parameter: HTTP/2 is not supported by jwtgate yet (it serves "
                            + "HTTP/1.1 only, and does not downgrade silently)");
                default:
                    throw d.error("invalid parameter \"%s\"", param);
            }
        }
        server.listens.add(new ListenSpec(address, def, ssl, proxyProtocol, options.build(), d));
    }
}
