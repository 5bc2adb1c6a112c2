package io.jwtgate.core.builtin;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.codec.WireText;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code return code [text|URL]} and {@code return URL}, from nginx's rewrite module.
 *
 * <p><b>Differs from nginx:</b> nginx runs {@code return} in the rewrite phase, before access checks, so a
 * {@code return} in a location protected by {@code jwt_secret} or {@code deny} answers without checking anything.
 * jwtgate runs it as a content handler, after the access phase (docs/jwt.md#jwt_phase), so it fails closed.
 */
public final class ReturnModule extends HttpModule {

    private static final Response EMPTY_TEXT = new Response("text/plain", new byte[0], List.of());

    /**
     * A compiled {@code return}; {@code null} in the slot when the location has none.
     *
     * @param serverLevel written at server level, where nginx runs it for every request of the server
     */
    record Return(int code, ComplexValue value, boolean serverLevel) {
    }

    static final class Draft {
        Return ret;
    }

    /**
     * A server-level {@code return} applies to every location of the server and wins over theirs (nginx runs it
     * in the server rewrite phase, before the location is even chosen); a location's own is not inherited by its
     * nested locations.
     */
    final LocSlot<Draft, Return> conf = locSlot(LocSlot.mergedAtEveryLevel(Draft::new,
            (parent, d) -> parent != null && parent.serverLevel() ? parent : d.ret));

    public ReturnModule() {
        super("return");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.of("return", EnumSet.of(Context.SERVER, Context.LOCATION), Arity.TAKE12,
                this::parse));
    }

    private void parse(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        if (draft.ret != null) {
            throw d.error("\"return\" directive is duplicate");
        }
        String first = d.arg(0);
        if (d.args().size() == 1 && isUrl(first)) {
            draft.ret = new Return(302, cx.compile(d, first), cx.location() == null);
            return;
        }
        int code = code(d, first);
        if (d.args().size() == 1) {
            draft.ret = new Return(code, null, cx.location() == null);
            return;
        }
        draft.ret = new Return(code, cx.compile(d, d.arg(1)), cx.location() == null);
    }

    @Override
    public ContentOrigin contentOrigin(LocationConf location) {
        return location.get(conf) != null ? ContentOrigin.LOCAL : null;
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.CONTENT, this::handle);
    }

    private int handle(HttpExchange x) {
        Return r = x.conf(conf);
        if (r == null) {
            return PhaseHandler.DECLINED;
        }
        int code = r.code;
        if (isRedirect(code)) {
            // as nginx: the request ends with the redirect's status, so an error_page for it applies, and the
            // Location (empty without a URL) stays on whatever answers
            String url = r.value == null ? "" : r.value.evaluate(x);
            Response page = StatusPages.page(code);
            x.prepareResponse(code, r.value == null ? page.withHeader("Location", "") : page.withRedirect(x, url));
            return code;
        }
        if (r.value == null) {
            if (code >= 200 && code < 400 && code != 204) {
                // as ngx_http_send_response: an empty body of the default type (text/plain), not a page
                x.sendResponse(code, EMPTY_TEXT);
                return PhaseHandler.OK;
            }
            return code; // the special response: a page, or nothing; error_page applies
        }
        // a text is sent as it is, error_page or not
        x.sendResponse(code, new Response("text/plain",
                WireText.encode(r.value.evaluate(x)).getBytes(StandardCharsets.ISO_8859_1), List.of()));
        return PhaseHandler.OK;
    }

    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    private static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("$scheme");
    }

    static int code(ConfDirective d, String s) throws ConfException {
        int code = ConfValues.number(s);
        if (code < 0 || code > 999) {
            throw d.error("invalid return code \"%s\"", s);
        }
        return code;
    }
}
