package io.jwtgate.charset;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.ComplexValue;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's charset filter, without recoding: for a response of the client request whose type is in
 * {@code charset_types} (or that has a charset already, with {@code override_charset on}), {@code charset} names the
 * charset given in {@code Content-Type}, as nginx's header filter writes it ({@code type; charset=name}). Where
 * nginx would recode (the source charset, from {@code source_charset} or the response, differs from
 * {@code charset}), it needs a {@code charset_map}, which jwtgate refuses at start-up; without one nginx logs
 * {@code no "charset_map" between the charsets} and sends the response unchanged, and so does jwtgate. Its header
 * filter runs after gunzip's and before gzip's (docs/charset.md).
 */
public final class CharsetModule extends HttpModule {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** nginx's {@code ngx_http_charset_default_types}, until {@code charset_types} gives a list. */
    private static final Set<String> DEFAULT_TYPES = Set.of("text/html", "text/xml", "text/plain",
            "text/vnd.wap.wml", "application/javascript", "application/rss+xml");

    /** A location's settings; {@code charset} and {@code source} {@code null} for {@code off}. */
    record Conf(ComplexValue charset, ComplexValue source, boolean override, Set<String> types) {
    }

    static final class Draft {
        ComplexValue charset;
        boolean charsetSet;
        ComplexValue source;
        Boolean override;
        Set<String> types;
        boolean anyType;
    }

    private static final Conf DEFAULTS = new Conf(null, null, false, DEFAULT_TYPES);

    final LocSlot<Draft, Conf> conf = locSlot(LocSlot.of(Draft::new, CharsetModule::merge));
    /** The charset names the configuration knows (nginx's {@code mcf->charsets}), lower case to first spelling. */
    final MainSlot<Map<String, String>> known = mainSlot(MainSlot.of(HashMap::new));

    public CharsetModule() {
        super("charset");
    }

    @Override
    public List<Directive> directives() {
        var http = Directive.httpServerLocation();
        return List.of(
                Directive.of("charset", Directive.httpServerLocationIf(), Arity.TAKE1, this::charset),
                Directive.of("source_charset", Directive.httpServerLocationIf(), Arity.TAKE1, this::source),
                Directive.of("override_charset", Directive.httpServerLocationIf(), Arity.TAKE1,
                        Setters.flag(conf, d -> d.override, (d, v) -> d.override = v)),
                Directive.of("charset_types", http, Arity.ONE_OR_MORE, this::types),
                Directive.block("charset_map", Set.of(Context.HTTP), Arity.TAKE2,
                        (cx, d) -> {
                            throw d.error("\"charset_map\" is not supported: jwtgate does not recode response "
                                    + "bodies (docs/charset.md)");
                        }));
    }

    private void charset(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        if (draft.charsetSet) {
            throw d.error("\"%s\" directive is duplicate", d.name());
        }
        draft.charsetSet = true;
        draft.charset = d.arg(0).equals("off") ? null : name(cx, d);
    }

    private void source(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        Setters.checkUnset(d, draft.source);
        draft.source = name(cx, d);
    }

    /** A charset name or a {@code $variable}; a name becomes one the configuration knows. */
    private ComplexValue name(ConfContext cx, ConfDirective d) throws ConfException {
        String v = d.arg(0);
        if (v.startsWith("$")) {
            return cx.compile(d, v);
        }
        cx.main(known).putIfAbsent(v.toLowerCase(Locale.ROOT), v);
        return ComplexValue.constant(v);
    }

    private void types(ConfContext cx, ConfDirective d) {
        Draft draft = cx.loc(conf);
        if (draft.types == null) {
            // the list replaces nginx's defaults but for text/html, which every nginx types list keeps
            draft.types = new HashSet<>(Set.of("text/html"));
        }
        for (String t : d.args()) {
            draft.anyType |= t.equals("*");
            draft.types.add(ConfValues.lower(t));
        }
    }

    /**
     * Merges a level; as nginx checks at start-up that two named charsets that differ have a {@code charset_map},
     * and jwtgate has none, a level where they differ is refused with nginx's message (which names no file).
     */
    private static Conf merge(Conf parent, Draft d) throws ConfException {
        Conf p = parent != null ? parent : DEFAULTS;
        Conf c = new Conf(d.charsetSet ? d.charset : p.charset(), d.source != null ? d.source : p.source(),
                d.override != null ? d.override : p.override(),
                d.types == null ? p.types() : d.anyType ? null : Set.copyOf(d.types));
        if (c.charset() != null && c.source() != null && c.charset().isConstant() && c.source().isConstant()
                && !c.charset().constant().equalsIgnoreCase(c.source().constant())) {
            throw new ConfException("no \"charset_map\" between the charsets \"" + c.source().constant()
                    + "\" and \"" + c.charset().constant() + "\"");
        }
        return c;
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHeaderFilter(this::filter);
    }

    /** nginx's {@code ngx_http_charset_header_filter}, for the client request (a subrequest's is only recoded). */
    private void filter(HttpExchange x, int status, ResponseHeaders h) {
        Conf c = x.conf(conf);
        String type = h.get("Content-Type");
        if (x.isSubrequest() || c.charset() == null || type == null || type.isEmpty()) {
            return;
        }
        int cut = charsetParam(type);
        String current = cut < 0 ? null : charsetOf(type, cut);
        if (current != null ? !c.override() : !typeMatches(c.types(), type)) {
            return;
        }
        String dst = c.charset().evaluate(x);
        Map<String, String> names = x.main(known);
        String source = current != null ? current : c.source() != null ? c.source().evaluate(x) : null;
        if (source != null && !dst.equalsIgnoreCase(source)) {
            String encoding = h.get("Content-Encoding");
            boolean bothKnown = names != null && names.containsKey(dst.toLowerCase(Locale.ROOT))
                    && names.containsKey(source.toLowerCase(Locale.ROOT));
            if (!bothKnown || encoding == null || encoding.isEmpty()) {
                log.error("no \"charset_map\" between the charsets \"{}\" and \"{}\"{}", source, dst,
                        ErrorContext.of(x));
            }
            return;
        }
        if (dst.isEmpty()) {
            return; // an empty name (a variable's) adds nothing, as in nginx
        }
        if (names != null && c.charset().isConstant()) {
            dst = names.getOrDefault(dst.toLowerCase(Locale.ROOT), dst);
        }
        String bare = cut < 0 ? type : type.substring(0, cut);
        if (status == 301 || status == 302) {
            h.set("Content-Type", bare); // nginx names no charset on a redirect
        } else {
            h.set("Content-Type", bare + "; charset=" + dst);
        }
    }

    /** Where a {@code ;} starts the {@code charset=} parameter nginx reads from a type, or -1. */
    static int charsetParam(String type) {
        int from = 0;
        while (true) {
            int semi = type.indexOf(';', from);
            if (semi < 0) {
                return -1;
            }
            int p = semi + 1;
            while (p < type.length() && type.charAt(p) == ' ') {
                p++;
            }
            if (type.regionMatches(true, p, "charset=", 0, 8)) {
                return semi;
            }
            from = p;
        }
    }

    /** The charset named after {@code charset=} (the rest of the value, quotes taken off), as nginx reads it. */
    static String charsetOf(String type, int semi) {
        int p = type.toLowerCase(Locale.ROOT).indexOf("charset=", semi) + 8;
        int end = type.length();
        if (p < end && type.charAt(p) == '"') {
            p++;
        }
        if (end > p && type.charAt(end - 1) == '"') {
            end--;
        }
        return type.substring(p, end);
    }

    static boolean typeMatches(Set<String> types, String type) {
        if (types == null) {
            return true;
        }
        int cut = charsetParam(type);
        return types.contains(ConfValues.lower(cut < 0 ? type : type.substring(0, cut)));
    }
}
