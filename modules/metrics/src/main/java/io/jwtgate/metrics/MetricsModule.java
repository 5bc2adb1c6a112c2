package io.jwtgate.metrics;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.DiskIo;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.ConnectionCounts;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Metrics;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metrics} and {@code stub_status}: a location that answers with the process's metrics, in the Prometheus
 * text format or OpenMetrics, or with nginx's {@code stub_status} page; and the request counts every configuration
 * keeps, whether it shows them or not (docs/operations.md#metrics). Both answers are content handlers, so the
 * location's access checks ({@code allow}/{@code deny}, a JWT) run first, as for any content.
 */
public final class MetricsModule extends HttpModule {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    /** What a location answers with. */
    enum Page {
        NONE, METRICS, STUB_STATUS
    }

    /** A location's own setting: as nginx's content handlers, not inherited by nested locations. */
    static final class Draft {
        Page page = Page.NONE;
    }

    final LocSlot<Draft, Page> conf = locSlot(LocSlot.mergedAtEveryLevel(Draft::new, (parent, d) -> d.page));

    public MetricsModule() {
        super("metrics");
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("metrics", EnumSet.of(Context.LOCATION), Arity.NONE, this::page),
                // nginx's takes one ignored argument, left from the time it took "on"
                Directive.of("stub_status", EnumSet.of(Context.SERVER, Context.LOCATION), new Arity(0, 1),
                        this::page));
    }

    private void page(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        if (draft.page != Page.NONE) {
            throw d.error("\"%s\" directive is duplicate", d.name());
        }
        draft.page = d.name().equals("metrics") ? Page.METRICS : Page.STUB_STATUS;
    }

    // ---- init

    @Override
    public void postconfiguration(HttpInit init) {
        Metrics metrics = init.metrics();
        RequestCounts requests = new RequestCounts(metrics);
        init.addHandler(Phase.LOG, requests::log);
        List<Page> pages = init.locations().stream().map(lc -> lc.get(conf)).toList();
        if (pages.stream().anyMatch(p -> p != Page.NONE)) {
            // the JVM collectors only where a location shows them
            Exposition exposition = pages.contains(Page.METRICS) ? new Exposition(metrics) : null;
            ConnectionCounts counts = metrics.connections();
            init.addHandler(Phase.CONTENT, x -> content(x, exposition, counts));
        }
    }

    @Override
    public ContentOrigin contentOrigin(LocationConf location) {
        return location.get(conf) == Page.NONE ? null : ContentOrigin.LOCAL;
    }

    // ---- handler

    private int content(HttpExchange x, Exposition exposition, ConnectionCounts counts) {
        Page page = x.conf(conf);
        if (page == Page.NONE) {
            return PhaseHandler.DECLINED;
        }
        String method = x.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return 405; // as nginx's stub_status
        }
        if (page == Page.STUB_STATUS) {
            x.sendResponse(200, new Response("text/plain", StubStatus.page(counts), List.of()));
            return PhaseHandler.OK;
        }
        String accept = x.header("Accept");
        boolean[] gone = {false};
        x.downstream().onClose(() -> gone[0] = true);
        // the JVM collectors read /proc: off the event loop, as files are read
        DiskIo.executor().execute(() -> {
            Exposition.Page p = null;
            try {
                p = exposition.write(accept);
            } catch (RuntimeException e) {
                log.error("metrics exposition failed", e); // a collector's bug: the scrape fails, not the gateway
            }
            Exposition.Page written = p;
            x.eventLoop().execute(() -> {
                if (gone[0]) {
                    return;
                }
                if (written == null) {
                    x.finalizeRequest(500);
                } else {
                    x.sendResponse(200, new Response(written.contentType(), written.body(), List.of()));
                }
            });
        });
        return PhaseHandler.OK;
    }
}
