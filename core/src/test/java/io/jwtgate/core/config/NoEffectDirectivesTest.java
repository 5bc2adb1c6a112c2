package io.jwtgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nginx's tuning directives that have no effect on the JVM (docs/configuration.md#directives-without-effect): what
 * nginx accepts is accepted and listed once as a notice with the reason; what nginx refuses (a bad number, a bad
 * flag, a second one at a level) is refused with nginx's message at nginx's line.
 */
class NoEffectDirectivesTest {

    @TempDir
    Path dir;

    static final String HTTP = """
            types_hash_max_size 2048;
            proxy_headers_hash_max_size 1024;
            connection_pool_size 512;
            request_pool_size 4k;
            server_names_hash_bucket_size 64;
            server_names_hash_max_size 1024;
            variables_hash_max_size 1024;
            variables_hash_bucket_size 64;
            map_hash_max_size 2048;
            map_hash_bucket_size 128;
            open_file_cache max=1000 inactive=20s;
            open_file_cache_valid 30s;
            open_file_cache_min_uses 2;
            open_file_cache_errors on;
            open_log_file_cache max=1000 inactive=20s valid=1m min_uses=2;
            server {
                listen 127.0.0.1:1;
                types_hash_max_size 1024;
                location / { types_hash_bucket_size 64; open_file_cache off; return 200; }
            }
            """;

    @Test
    void acceptedAsByNginxAndListedOnceEach() throws Exception {
        String conf = "worker_rlimit_nofile 65535;\nworker_cpu_affinity auto;\nenv TZ;\nenv PATH;\npcre_jit on;\n"
                + "daemon off;\nmaster_process on;\nlock_file logs/nginx.lock;\ntimer_resolution 100ms;\n"
                + "worker_priority -5;\nworker_rlimit_core 500m;\nworking_directory /tmp;\n"
                + "thread_pool default threads=32 max_queue=65536;\nthread_pool io threads=4;\n"
                + "events {\nmulti_accept on;\naccept_mutex off;\naccept_mutex_delay 100ms;\nuse epoll;\n"
                + "worker_aio_requests 32;\ndebug_connection 127.0.0.1;\ndebug_connection 10.0.0.0/8;\n}\n"
                + "http {\n" + HTTP + "}\n";
        assertThat(NginxConfigCheck.assertAcceptedAlike(dir, conf, CoreModules::create)).isEmpty();
        GatewayConfig loaded = new ConfigLoader(CoreModules.create()).load(dir.resolve("nginx.conf"));
        assertThat(loaded.notices()).hasSize(34).allMatch(n -> n.contains(" has no effect in jwtgate: "))
                .contains("\"env\" has no effect in jwtgate: jwtgate keeps its whole environment and starts no "
                        + "worker processes in " + dir.resolve("nginx.conf") + ":3")
                .filteredOn(n -> n.startsWith("\"types_hash_max_size\"")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "worker_rlimit_nofile x;\nevents { }",
        "daemon off;\ndaemon on;\nevents { }",
        "timer_resolution x;\nevents { }",
        "worker_priority x;\nevents { }",
        "worker_rlimit_core x;\nevents { }",
        "worker_rlimit_nofile 1;\nworker_rlimit_nofile 2;\nevents { }",
        "pcre_jit yes;\nevents { }",
        "worker_cpu_affinity 0102;\nevents { }",
        "events { }\nhttp {\ntypes_hash_max_size 1k;\n}",
        "events { }\nhttp {\nmap_hash_bucket_size 64;\nmap_hash_bucket_size 64;\n}",
        "events { }\nhttp {\nserver {\nserver_names_hash_bucket_size 64;\n}\n}",
        "events { }\nhttp {\nserver {\nlocation / {\nopen_file_cache_errors maybe;\n}\n}\n}",
        "events { }\nhttp {\nopen_file_cache_min_uses;\n}",
        "events {\nmulti_accept yes;\n}",
        "events {\naccept_mutex on;\naccept_mutex off;\n}",
        "events {\naccept_mutex_delay abc;\n}",
        "events {\nuse kqueue;\n}",
        "events {\nuse epoll;\nuse epoll;\n}",
        "events {\nworker_aio_requests x;\n}",
        "events { }\nhttp {\nmulti_accept on;\n}",
    })
    void refusedAsByNginx(String conf) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf + "\n", CoreModules::create);
    }

    @Test
    void theDocsListEachOne() throws Exception {
        String docs = Files.readString(Path.of("../docs/configuration.md"), StandardCharsets.UTF_8);
        for (String name : new String[] {"user", "worker_rlimit_nofile", "worker_cpu_affinity", "env", "pcre_jit",
            "types_hash_max_size", "server_names_hash_bucket_size", "variables_hash_max_size", "map_hash_max_size",
            "open_file_cache", "open_log_file_cache", "daemon", "master_process", "timer_resolution",
            "worker_priority", "working_directory",
            "thread_pool", "proxy_headers_hash_max_size", "connection_pool_size", "request_pool_size", "multi_accept",
            "accept_mutex_delay", "use", "worker_aio_requests",
            "debug_connection", "tcp_nopush", "tcp_nodelay", "postpone_output", "client_header_buffer_size",
            "ssl_session_tickets", "ssl_session_ticket_key", "ssl_stapling", "ssl_stapling_verify", "ssl_stapling_file",
            "ssl_stapling_responder", "ssl_trusted_certificate", "ssl_dhparam", "ssl_ecdh_curve", "aio", "directio",
            "output_buffers", "read_ahead"}) {
            assertThat(docs).contains("`" + name);
        }
    }
}
