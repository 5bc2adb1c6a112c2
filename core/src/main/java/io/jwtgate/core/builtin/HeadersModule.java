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
 * {@code add_header name value [always]} and {@code expires}, from nginx's headers module: added to responses with
 * status 200, 201, 204, 206, 301, 302, 303, 304, 307 or 308, or to every response with {@code always}. A level with
 * its own {@code add_header} lines replaces its parent's list; an empty value adds nothing. {@code Expires} and
 * {@code Cache-Control} from {@code expires} come first, as nginx sets them before the added headers.
 */
public final class HeadersModule extends HttpModule {

    record AddHeader(String name, ComplexValue value, boolean always) {
    }

    /** The merged settings: the headers to add and {@code expires}. */
    record Conf(List<AddHeader> headers, Expires expires) {
    }

    static final class Draft {
        final List<AddHeader> headers = new ArrayList<>();
        Expires expires;
    }

    final LocSlot<Draft, Conf> conf = locSlot(LocSlot.of(Draft::new, (parent, d) -> new Conf(
            d.headers.isEmpty() && parent != null ? parent.headers() : List.copyOf(d.headers),
            d.expires != null ? d.expires : parent != null ? parent.expires() : Expires.OFF)));

    public HeadersModule() {
        super("headers");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.of("add_header", Directive.httpServerLocationIf(), Arity.TAKE23, this::addHeader),
                Directive.of("expires", Directive.httpServerLocationIf(), Arity.TAKE12, (cx, d) -> {
                    Draft draft = cx.loc(conf);
                    if (draft.expires != null) {
                        throw d.error("\"expires\" directive is duplicate");
                    }
                    draft.expires = Expires.read(cx, d);
                }));
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
        Conf c = x.conf(conf);
        List<AddHeader> list = c.headers();
        if (list.isEmpty() && c.expires().mode() == Expires.Mode.OFF || x.isSubrequest()) {
            return; // as nginx's headers filter, which leaves a subrequest's response alone
        }
        boolean ok = switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
        if (ok && c.expires().mode() != Expires.Mode.OFF) {
            c.expires().apply(x, h);
        }
        for (AddHeader a : list) {
            if (ok || a.always()) {
                String v = a.value().evaluate(x);
                if (!v.isEmpty()) {
                    // nginx keeps its own place only for the headers its headers filter sets (Last-Modified);
                    // any other name goes among the added ones, after the server's own (a second Content-Type)
                    if (a.name().equalsIgnoreCase("Last-Modified")) {
                        h.add(a.name(), WireText.encode(v));
                    } else {
                        h.addListed(a.name(), WireText.encode(v));
                    }
                }
            }
        }
    }
}
