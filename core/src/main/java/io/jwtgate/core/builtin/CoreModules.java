package io.jwtgate.core.builtin;

import io.jwtgate.core.builtin.rewrite.RewriteModule;
import io.jwtgate.core.module.HttpModule;
import java.util.List;

/** The modules shipped with the core, in their handler order. */
public final class CoreModules {

    private CoreModules() {
    }

    /**
     * The rewrite module ({@code return}, {@code set}, {@code if}...), {@code add_header}, {@code access_log}: new
     * instances, for one process.
     */
    public static List<HttpModule> create() {
        return List.of(new RewriteModule(), new HeadersModule(), new LogModule());
    }
}
