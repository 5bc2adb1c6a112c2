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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx's charset filter: for a response of the client request whose type is in {@code charset_types} (or that has a
 * charset already, with {@code override_charset on}), {@code charset} names the charset given in
 * {@code Content-Type}, as nginx's header filter writes it ({@code type; charset=name}). Where the source charset,
 * from the response or {@code source_charset}, differs from {@code charset}, the body is recoded through the
 * {@code charset_map} between them ({@link RecodeBody}); without one nginx logs
 * {@code no "charset_map" between the charsets} and sends the response unchanged, and so does jwtgate. Its header
 * filter runs after gunzip's and before gzip's (docs/charset.md).
 */
public final class CharsetModule extends HttpModule {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** nginx's {@code ngx_http_charset_default_types}, until {@code charset_types} gives a list. */
    private static final Set<String> DEFAULT_TYPES = Set.of("text/html", "text/xml", "text/plain",
            "text/vnd.wap.wml", "application/javascript", "application/rss+xml");

    /**
     * A location's settings; {@code charset} and {@code source} {@code null} for {@code off}; {@code main} the
     * configuration's charsets and maps, once a level names a charset.
     */
    record Conf(ComplexValue charset, ComplexValue source, boolean override, Set<String> types, Main main) {
    }

    static final class Draft {
        ComplexValue charset;
        boolean charsetSet;
        ComplexValue source;
        Boolean override;
        Set<String> types;
        boolean anyType;
        Main main;
    }

    private static final Conf DEFAULTS = new Conf(null, null, false, DEFAULT_TYPES, null);

    final LocSlot<Draft, Conf> conf = locSlot(LocSlot.of(Draft::new, CharsetModule::merge));

    /** The charsets the configuration names and the maps between them (nginx's charset main configuration). */
    static final class Main {
        /** Every charset named (nginx's {@code mcf->charsets}), lower case to its first spelling. */
        final Map<String, String> names = new HashMap<>();
        final List<CharsetMap> maps = new ArrayList<>();

        boolean knows(String charset) {
            return names.containsKey(charset.toLowerCase(Locale.ROOT));
        }

        void name(String charset) {
            names.putIfAbsent(charset.toLowerCase(Locale.ROOT), charset);
        }

        CharsetMap map(String a, String b) {
            for (CharsetMap m : maps) {
                if (m.joins(a, b)) {
                    return m;
                }
            }
            return null;
        }
    }

    final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));

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
                Directive.block("charset_map", Set.of(Context.HTTP), Arity.TAKE2, this::charsetMap));
    }

    private void charsetMap(ConfContext cx, ConfDirective d) throws ConfException {
        Main m = cx.main(main);
        m.name(d.arg(0));
        m.name(d.arg(1));
        if (m.map(d.arg(0), d.arg(1)) != null && !d.arg(0).equalsIgnoreCase(d.arg(1))) {
            throw d.error("duplicate \"charset_map\" between \"%s\" and \"%s\"", d.arg(0), d.arg(1));
        }
        m.maps.add(CharsetMap.parse(d));
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
        Main m = cx.main(main);
        m.name(v);
        cx.loc(conf).main = m;
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
     * Merges a level; as nginx checks at start-up that two named charsets that differ have a {@code charset_map}, a
     * level where they have none is refused with nginx's message (which names no file). Where either is a variable,
     * the pair is only known per request. Merging comes after the whole {@code http} block is read, so every
     * {@code charset_map} is known by then.
     */
    private static Conf merge(Conf parent, Draft d) throws ConfException {
        Conf p = parent != null ? parent : DEFAULTS;
        Conf c = new Conf(d.charsetSet ? d.charset : p.charset(), d.source != null ? d.source : p.source(),
                d.override != null ? d.override : p.override(),
                d.types == null ? p.types() : d.anyType ? null : Set.copyOf(d.types),
                d.main != null ? d.main : p.main());
        if (c.charset() != null && c.source() != null && c.charset().isConstant() && c.source().isConstant()) {
            String dst = c.charset().constant();
            String src = c.source().constant();
            if (!dst.equalsIgnoreCase(src) && c.main().map(src, dst) == null) {
                throw new ConfException("no \"charset_map\" between the charsets \"" + src + "\" and \"" + dst
                        + "\"");
            }
        }
        return c;
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHeaderFilter(this::filter);
    }

    /**
     * nginx's {@code ngx_http_charset_header_filter}, for the client request (a subrequest's is left alone): the
     * destination and source charsets, then nothing, the charset named, or the charset named and the body recoded.
     */
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
        Main m = x.main(main);
        String dst = c.charset().evaluate(x);
        String named = c.charset().isConstant() ? m.names.getOrDefault(dst.toLowerCase(Locale.ROOT), dst) : dst;
        String source = current != null ? current : c.source() != null ? c.source().evaluate(x) : null;
        if (source == null) {
            name(h, status, type, cut, named, false);
            return;
        }
        boolean dstKnown = m.knows(dst);
        if (!dstKnown || !m.knows(source)) {
            // nginx compares as many characters as the destination's name has
            if (dstKnown || m.knows(source) || !source.regionMatches(true, 0, dst, 0, dst.length())) {
                noMap(x, source, dst);
            } else {
                name(h, status, type, cut, named, false);
            }
            return;
        }
        if (dst.equalsIgnoreCase(source)) {
            name(h, status, type, cut, named, true);
            return;
        }
        String encoding = h.get("Content-Encoding");
        if (encoding != null && !encoding.isEmpty()) {
            return; // a compressed body is not recoded, and nginx says nothing
        }
        CharsetMap map = m.map(source, dst);
        if (map == null) {
            noMap(x, source, dst);
            return;
        }
        name(h, status, type, cut, named, true);
        Recoding recoding = map.from(source);
        if (recoding.changesLength()) {
            h.remove("Content-Length");
        }
        x.addBodyFilter(new RecodeBody(recoding));
    }

    private static void noMap(HttpExchange x, String source, String dst) {
        log.error("no \"charset_map\" between the charsets \"{}\" and \"{}\"{}", source, dst, ErrorContext.of(x));
    }

    /**
     * Names {@code charset} in {@code Content-Type}, as nginx's header filter writes it: after the type alone when
     * the type had no charset, or when {@code replace} (nginx cut the type short); a type that keeps its own
     * charset is written as it came. A 301 or 302 names none (nginx's old Netscape rule), nor does an empty name.
     */
    private static void name(ResponseHeaders h, int status, String type, int cut, String charset, boolean replace) {
        if (cut >= 0 && !replace) {
            return;
        }
        String bare = cut < 0 ? type : type.substring(0, cut);
        if (status == 301 || status == 302 || charset.isEmpty()) {
            h.set("Content-Type", bare);
        } else {
            h.set("Content-Type", bare + "; charset=" + charset);
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
