package io.jwtgate.core.builtin;

import io.jwtgate.core.module.HttpModule;
import java.util.List;

/** The modules shipped with the core, in their handler order: {@code return} before any other content handler. */
public final class CoreModules {

    private CoreModules() {
    }

    /** {@code return}, {@code add_header}, {@code access_log}: new instances, for one process. */
    public static List<HttpModule> create() {
        return List.of(new ReturnModule(), new HeadersModule(), new LogModule());
    }
}
