package io.jwtgate.proxy.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The start-up errors of {@code resolver} and {@code resolver_timeout}: each configuration is checked by stock nginx
 * ({@code nginx -t}) and by jwtgate, which must stop with the same message at the same line, or accept it alike.
 */
class ResolverConfigErrorsTest {

    static final Supplier<List<HttpModule>> MODULES = () -> {
        List<HttpModule> all = new ArrayList<>(CoreModules.create());
        all.addAll(ProxyModules.create());
        return all;
    };

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "http| resolver;",
        "http| resolver 127.0.0.1:99999;",
        "http| resolver 127.0.0.1:0;",
        "http| resolver 127.0.0.1 valid=abc;",
        "http| resolver 127.0.0.1 valid=-1;",
        "http| resolver 127.0.0.1 valid=30s ipv6=maybe;",
        "http| resolver valid=30s;",
        "http| resolver ipv6=off valid=1s;",
        "http| resolver no-such-host.invalid;",
        "http| resolver 127.0.0.1/x;",
        "http| resolver [::1;",
        "server| resolver 127.0.0.1;\\nresolver 127.0.0.2;",
        "location| resolver_timeout abc;",
        "location| resolver_timeout 5s;\\nresolver_timeout 6s;",
        "location| resolver_timeout;",
        "location| if ($uri) {\\n resolver 127.0.0.1;\\n }",
    })
    void sameErrorAsNginx(String level, String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(level, directives.replace("\\n", "\n")), MODULES);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "resolver [::1]:5353 127.0.0.1:53 ipv6=off valid=1m;\\nresolver_timeout 5s;",
        "resolver 127.0.0.1 valid=0 ipv6=on;",
        "resolver localhost;\\nresolver_timeout 0;",
    })
    void acceptedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf("http", directives.replace("\\n", "\n")), MODULES);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "resolver 127.0.0.1 status_zone=dns;"
                + "| \"status_zone=\" of \"resolver\" is NGINX Plus's; jwtgate does not support it",
        "resolver unix:/run/dns.sock;| unix domain sockets are not supported in resolver \"unix:/run/dns.sock\"",
    })
    void refusedSayingWhy(String directives, String reason) throws Exception {
        ConfException e = TestGateway.configError(dir, conf("http", directives), MODULES);
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.line()).isEqualTo(3);
    }

    /** The directives at the given level, on lines of their own so that lines tell levels apart. */
    private static String conf(String level, String directives) {
        String at = directives + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:1;\n"
                + (level.equals("server") ? at : "") + "location / {\n" + (level.equals("location") ? at : "")
                + "}\n}\n}\n";
    }
}
