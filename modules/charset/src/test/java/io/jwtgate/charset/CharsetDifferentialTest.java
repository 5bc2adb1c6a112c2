package io.jwtgate.charset;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.Reply;
import io.jwtgate.testing.SideBySide;
import io.jwtgate.testing.TestBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code charset}, {@code source_charset}, {@code charset_types} and {@code override_charset} against stock nginx:
 * upstream answers of several types and charsets (the type chosen by the last path segment), and the gateway's own
 * error pages, through locations that set one directive each; heads and bodies must match, and so must the errors
 * logged where nginx would need a {@code charset_map} (recoding with one: {@code CharsetRecodingDifferentialTest}).
 */
class CharsetDifferentialTest {

    static TestBackend backend;
    static SideBySide pair;

    static Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.addAll(ProxyModules.create());
            all.add(new CharsetModule());
            return all;
        };
    }

    static Reply reply(String name, int status) {
        String type = switch (name) {
            case "html" -> "text/html";
            case "plain" -> "text/plain";
            case "json" -> "application/json";
            case "utf8" -> "text/html; charset=UTF-8";
            case "quoted" -> "text/html; charset=\"utf-8\"";
            case "koi" -> "text/html; charset=koi8-r";
            case "param" -> "text/html; level=1";
            case "upper" -> "TEXT/HTML";
            default -> "";
        };
        Reply r = Reply.status(status, "body of " + name);
        return type.isEmpty() ? Reply.bytes(status, ("body of " + name).getBytes()) : r.header("Content-Type", type);
    }

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(r -> {
            String name = r.uri().substring(r.uri().lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
            return r.uri().contains("/moved/") ? reply(name, 301).header("Location", "http://x/") : reply(name, 200);
        });
        String p = "proxy_pass http://" + backend.hostPort() + ";";
        String locations = """
                location /x/ { %1$s }
                location /moved/ { %1$s }
                location /off/ { charset off; %1$s }
                location /over/ { override_charset on; %1$s }
                location /types/ { charset_types application/json; %1$s }
                location /star/ { charset_types *; %1$s }
                location /var/ { charset $arg_cs; %1$s }
                location /src/ { source_charset UTF-8; %1$s }
                location /srcvar/ { source_charset $arg_src; %1$s }
                location /iso/ { charset iso-8859-1; %1$s }
                location = /missing { return 404; }
                location = /go { return 302 http://example.test/elsewhere; }
                """.formatted(p);
        pair = SideBySide.start(port -> "charset utf-8;\nserver { listen 127.0.0.1:" + port + ";\n" + locations
                + "}", modules());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    static void same(String method, String path) {
        String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        RawResponse n = send(pair.nginxPort(), request);
        RawResponse g = send(pair.gatewayPort(), request);
        assertThat(SideBySide.masked(g)).as(request).isEqualTo(SideBySide.masked(n));
    }

    static RawResponse send(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send(request).readResponse(request.startsWith("HEAD "));
        }
    }

    @Test
    void addsTheCharsetAsNginx() throws Exception {
        for (String loc : List.of("/x/", "/moved/", "/off/", "/over/", "/types/", "/star/", "/src/", "/iso/")) {
            for (String c : List.of("html", "plain", "json", "utf8", "quoted", "koi", "param", "upper", "none")) {
                same("GET", loc + c);
            }
        }
        // without the argument nginx fails the request (variable not found): docs/charset.md, Differs
        for (String q : List.of("?cs=utf-8", "?cs=UTF-8", "?cs=koi8-r", "?cs=")) {
            same("GET", "/var/html" + q);
            same("GET", "/var/utf8" + q);
        }
        for (String q : List.of("?src=utf-8", "?src=koi8-r", "?src=UTF-8")) {
            same("GET", "/srcvar/html" + q);
        }
        same("GET", "/missing");
        same("GET", "/go");
        same("HEAD", "/x/html");
        List<String> nginxErrors = pair.nginxErrorMessages().stream().map(m -> m.replaceFirst(",.*", "")).toList();
        assertThat(nginxErrors).isNotEmpty().allMatch(m -> m.startsWith("no \"charset_map\" between"));
    }
}
