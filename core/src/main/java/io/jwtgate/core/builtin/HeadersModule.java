package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.ComplexValue;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code add_header name value [always]}, from nginx's headers module: added to responses with status 200, 201,
 * 204, 206, 301, 302, 303, 304, 307 or 308, or to every response with {@code always}. A level with its own
 * {@code add_header} lines replaces its parent's list; an empty value adds nothing.
 */
public final class HeadersModule extends HttpModule {

    record AddHeader(String name, ComplexValue value, boolean always) {
    }

    static final class Draft {
        final List<AddHeader> headers = new ArrayList<>();
    }

    final LocSlot<Draft, List<AddHeader>> conf = locSlot(LocSlot.of(Draft::new, (parent, d) ->
            d.headers.isEmpty() && parent != null ? parent : List.copyOf(d.headers)));

    public HeadersModule() {
        super("headers");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.of("add_header", Directive.httpServerLocationIf(), Arity.TAKE23, this::addHeader));
    }

    private void addHeader(ConfContext cx, ConfDirective d) throws ConfException {
        boolean always = false;
        if (d.args().size() == 3) {
            if (!d.arg(2).equals("always")) {
                throw d.error("invalid parameter \"%s\"", d.arg(2));
            }
            always = true;
        }
        cx.loc(conf).headers.add(new AddHeader(d.arg(0), cx.compile(d, d.arg(1)), always));
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHeaderFilter(this::filter);
    }

    private void filter(HttpExchange x, int status, ResponseHeaders h) {
        List<AddHeader> list = x.conf(conf);
        if (list.isEmpty() || x.isSubrequest()) {
            return; // as nginx's headers filter, which leaves a subrequest's response alone
        }
        boolean ok = switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
        for (AddHeader a : list) {
            if (ok || a.always()) {
                String v = a.value().evaluate(x);
                if (!v.isEmpty()) {
                    h.add(a.name(), WireText.encode(v));
                }
            }
        }
    }
}
