package io.jwtgate.core.config;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.CoreLocConf;
import io.jwtgate.core.http.ErrorPage;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.ComplexValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code error_page code ... [=[response]] uri|@name|URL} and {@code recursive_error_pages}, nginx's core directives
 * (docs/configuration.md#error_page); the requests they send elsewhere are redirected when they end
 * ({@code HttpExchange.finalizeRequest}).
 */
final class ErrorPageDirectives {

    private ErrorPageDirectives() {
    }

    static List<Directive> directives(LocSlot<CoreLocConf.Draft, CoreLocConf> conf) {
        return List.of(
                Directive.of("error_page",
                        EnumSet.of(Context.HTTP, Context.SERVER, Context.LOCATION, Context.IF_LOCATION),
                        Arity.TWO_OR_MORE, (cx, d) -> errorPage(cx, d, cx.loc(conf))),
                Directive.of("recursive_error_pages", Directive.httpServerLocation(), Arity.TAKE1,
                        Setters.flag(conf, c -> c.recursiveErrorPages, (c, v) -> c.recursiveErrorPages = v)));
    }

    /** As nginx's {@code ngx_http_core_error_page}: its checks, in its order, with its words. */
    private static void errorPage(ConfContext cx, ConfDirective d, CoreLocConf.Draft draft) throws ConfException {
        List<String> args = d.args();
        int last = args.size() - 1;
        String response = args.get(last - 1);
        int overwrite = ErrorPage.KEEP_STATUS;
        int codes = last;
        if (response.startsWith("=")) {
            if (last - 1 == 0) {
                throw invalidValue(d, response);
            }
            // nginx takes any number here; jwtgate's status table ends at 999
            overwrite = response.length() == 1 ? 0 : ConfValues.number(response.substring(1));
            if (overwrite < 0 || overwrite > 999) {
                throw invalidValue(d, response);
            }
            codes = last - 1;
        }
        ComplexValue target = cx.compile(d, args.get(last));
        String uri = null;
        String uriArgs = null;
        if (target.isConstant()) {
            uri = target.constant();
            int q = uri.indexOf('?');
            if (uri.startsWith("/") && q >= 0) {
                uriArgs = uri.substring(q + 1);
                uri = uri.substring(0, q);
            }
        }
        List<ErrorPage> pages = draft.errorPages == null ? new ArrayList<>() : new ArrayList<>(draft.errorPages);
        for (int i = 0; i < codes; i++) {
            String code = args.get(i);
            int status = ConfValues.number(code);
            if (status < 0 || status == 499) {
                throw invalidValue(d, code);
            }
            if (status < 300 || status > 599) {
                throw d.error("value \"%s\" must be between 300 and 599", code);
            }
            int statusOverwrite = overwrite;
            if (overwrite == ErrorPage.KEEP_STATUS && status >= 494 && status <= 497) {
                statusOverwrite = 400; // nginx's own codes go out as 400
            }
            pages.add(new ErrorPage(status, statusOverwrite, uri, uriArgs, target.isConstant() ? null
                    : target::evaluate));
        }
        draft.errorPages = List.copyOf(pages);
    }

    private static ConfException invalidValue(ConfDirective d, String value) {
        return d.error("invalid value \"%s\"", value);
    }
}
