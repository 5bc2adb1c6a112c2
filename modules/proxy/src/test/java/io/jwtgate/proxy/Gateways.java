package io.jwtgate.proxy;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Starts gateways with the core modules and the proxy module, one event loop, listening on a free port. */
final class Gateways {

    private Gateways() {
    }

    static Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.addAll(ProxyModules.create());
            return all;
        };
    }

    /** A gateway whose http block holds {@code httpLevel} and one server with {@code serverBody}. */
    static TestGateway start(String httpLevel, String serverBody) throws Exception {
        return TestGateway.start(conf(httpLevel, serverBody), modules());
    }

    static ConfException error(String httpLevel, String serverBody) throws Exception {
        return TestGateway.configError(conf(httpLevel, serverBody), modules());
    }

    static String conf(String httpLevel, String serverBody) {
        return """
                worker_processes 1;
                events { worker_connections 1024; }
                http {
                %s
                    server {
                        listen 127.0.0.1:%d;
                        server_name localhost;
                %s
                    }
                }
                """.formatted(httpLevel, TestGateway.freePort(), serverBody);
    }
}
