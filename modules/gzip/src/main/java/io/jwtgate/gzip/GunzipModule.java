package io.jwtgate.gzip;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.ResponseHeaders;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import java.util.List;

/**
 * nginx's gunzip filter: a response with {@code Content-Encoding: gzip}, of any status, for a client that does not
 * take gzip ({@link GzipOk}), is decompressed ({@link GunzipBody}) and loses its {@code Content-Encoding},
 * {@code Content-Length} and {@code Accept-Ranges}, its {@code ETag} weakened. Its directives, {@code gunzip} and
 * {@code gunzip_buffers}, belong to {@link GzipModule}, whose configuration it reads; its header filter runs before
 * the charset and gzip filters, as in nginx (docs/gzip.md#gunzip).
 */
public final class GunzipModule extends HttpModule {

    private final GzipModule gzip;

    public GunzipModule(GzipModule gzip) {
        super("gunzip");
        this.gzip = gzip;
    }

    @Override
    public List<Directive> directives() {
        return List.of();
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHeaderFilter(this::filter);
    }

    private void filter(HttpExchange x, int status, ResponseHeaders h) {
        GzipConf c = gzip.conf(x);
        if (!c.gunzip() || !"gzip".equalsIgnoreCase(h.get("Content-Encoding"))) {
            return;
        }
        gzip.vary(x, c, h);
        if (gzip.gzipOk(x, c, h)) {
            return;
        }
        h.remove("Content-Encoding");
        h.remove("Content-Length");
        h.remove("Accept-Ranges");
        GzipModule.weakenEtag(h);
        x.addBodyFilter(new GunzipBody());
    }
}
