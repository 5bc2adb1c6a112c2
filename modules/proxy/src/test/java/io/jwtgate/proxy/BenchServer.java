package io.jwtgate.proxy;

import io.jwtgate.testing.TestGateway;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Not a test: serves a proxy configuration for a manual wrk run ({@code -Dbench.port=... -Dbench.upstream=...}). */
class BenchServer {

    @Test
    @EnabledIfSystemProperty(named = "bench.port", matches = "\\d+")
    void serve() throws Exception {
        String conf = """
                worker_processes 1;
                events { worker_connections 4096; }
                http {
                    upstream backend { server %s; keepalive 32; }
                    server {
                        listen 127.0.0.1:%s;
                        location / {
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_pass http://backend;
                        }
                    }
                }
                """.formatted(System.getProperty("bench.upstream"), System.getProperty("bench.port"));
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try (TestGateway gw = TestGateway.start(conf, Gateways.modules())) {
            System.err.println("BENCH READY");
            Thread.sleep(Long.getLong("bench.seconds", 60) * 1000);
        }
    }
}
