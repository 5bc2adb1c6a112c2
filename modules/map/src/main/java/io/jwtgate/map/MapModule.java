package io.jwtgate.map;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.http.route.RegexCaptures;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.VariableGetter;
import io.jwtgate.core.var.Variables;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code map $source $result { ... }}, nginx's {@code ngx_http_map_module}: defines {@code $result} as a lookup of
 * the value of {@code $source} (any text with variables) in a table of exact keys, hostname wildcards and regexes.
 * The variable is evaluated on first use in a request and cached for the rest of it, unless the block says
 * {@code volatile}. A second {@code map} with the same result variable replaces the first, as in nginx.
 *
 * <p>{@code map_hash_max_size} and {@code map_hash_bucket_size} are the core's, as directives without effect: the
 * table is a Java hash map that needs no sizing.
 */
public final class MapModule extends HttpModule {

    /** The named groups of the last map regex that matched in a request, for {@code $name} outside the map. */
    private record LastMatch(RegexCaptures groups) {
    }

    final RequestSlot<LastMatch> lastMatch = requestSlot();

    public MapModule() {
        super("map");
    }

    // ---- directives

    @Override
    public List<Directive> directives() {
        return List.of(Directive.block("map", EnumSet.of(Context.HTTP), Arity.TAKE2, this::map));
    }

    /** {@code ngx_http_map_block}: compiles the source, reads the entries, defines the result variable. */
    private void map(ConfContext cx, ConfDirective d) throws ConfException {
        ComplexValue source = cx.compile(d, d.arg(0));
        String result = d.arg(1);
        if (result.length() < 2 || result.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", result);
        }
        Variables variables = cx.variables();
        MapBuilder builder = new MapBuilder(variables);
        builder.read(d);
        MapTable table = builder.build(source);
        int flags = Variables.CHANGEABLE | (builder.isVolatile() ? Variables.NOCACHE : 0);
        define(d, variables, result.substring(1), (x, data) -> ((MapTable) data).lookup(x, this), table, flags);
        // nginx makes each named group a variable set by the match; here it reads the request's last map match
        for (String name : builder.regexGroupNames()) {
            if (!variables.isDefined(name)) {
                define(d, variables, name, this::namedGroup, name, Variables.CHANGEABLE | Variables.NOCACHE);
            }
        }
    }

    private static void define(ConfDirective d, Variables variables, String name,
            VariableGetter getter, Object data, int flags) throws ConfException {
        try {
            variables.define(name, getter, data, flags);
        } catch (IllegalArgumentException e) {
            throw d.error(e.getMessage());
        }
    }

    // ---- variables

    /** Called by a table when a regex with named groups matched. */
    void rememberMatch(HttpExchange x, RegexCaptures groups) {
        x.set(lastMatch, new LastMatch(groups));
    }

    private String namedGroup(HttpExchange x, Object name) {
        LastMatch last = x.get(lastMatch);
        if (last == null) {
            return null;
        }
        return last.groups().group((String) name);
    }
}
