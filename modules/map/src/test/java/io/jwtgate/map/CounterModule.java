package io.jwtgate.map;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.Variables;
import java.util.List;

/** Test-only {@code $test_counter}: 1, 2, 3 ... within a request, never cached, to observe when maps evaluate. */
final class CounterModule extends HttpModule {

    final RequestSlot<int[]> count = requestSlot();

    CounterModule() {
        super("test_counter");
    }

    @Override
    public List<Directive> directives() {
        return List.of();
    }

    @Override
    public void preconfiguration(Variables variables) {
        variables.define("test_counter", this::next, null, Variables.NOCACHE);
    }

    private String next(HttpExchange x, Object data) {
        int[] n = x.get(count);
        if (n == null) {
            n = new int[1];
            x.set(count, n);
        }
        return Integer.toString(++n[0]);
    }
}
