package io.jwtgate.geo;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.Variables;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code geo [$address] $variable { ... }}, nginx's {@code ngx_http_geo_module}: defines {@code $variable} by the
 * client's address (or the address {@code $address} holds) looked up in a table of networks, or of IPv4 ranges with
 * {@code ranges} (docs/map.md#geo).
 */
public final class GeoModule extends HttpModule {

    public GeoModule() {
        super("geo");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.block("geo", EnumSet.of(Context.HTTP), Arity.TAKE12, this::geo));
    }

    /** {@code ngx_http_geo_block}. */
    private void geo(ConfContext cx, ConfDirective d) throws ConfException {
        String result = variableName(d, d.arg(0));
        int source = -1;
        if (d.args().size() == 2) {
            source = cx.variables().index(result, d);
            result = variableName(d, d.arg(1));
        }
        GeoBuilder builder = new GeoBuilder(cx);
        for (ConfDirective e : d.block()) {
            builder.entry(e);
        }
        GeoTable table = builder.build(source);
        int flags = Variables.CHANGEABLE | (builder.isVolatile() ? Variables.NOCACHE : 0);
        try {
            cx.variables().define(result, (x, data) -> ((GeoTable) data).lookup(x), table, flags);
        } catch (IllegalArgumentException e) {
            throw d.error(e.getMessage());
        }
    }

    private static String variableName(ConfDirective d, String arg) throws ConfException {
        if (arg.isEmpty() || arg.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", arg);
        }
        return arg.substring(1);
    }
}
