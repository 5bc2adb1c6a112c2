package io.jwtgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.conf.ConfException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every wrong value is a configuration error located at its directive, in nginx's words. */
class ConfigErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "location / { proxy_pass ftp://a; }                              | invalid URL prefix in \"ftp://a\"",
        "location / { proxy_pass http://127.0.0.1:99999; }"
                + "| invalid port in upstream \"127.0.0.1:99999\"",
        "location / { proxy_pass http://; }                              | no host in upstream",
        "location / { proxy_pass http://no-such-host.invalid; }"
                + "| host not found in upstream \"no-such-host.invalid\"",
        "location / { proxy_pass http://127.0.0.1; proxy_pass http://127.0.0.1; }"
                + "| \"proxy_pass\" directive is duplicate",
        "location ~ ^/x { proxy_pass http://127.0.0.1/uri; }"
                + "| \"proxy_pass\" cannot have URI part in location given by regular expression",
        "location / { proxy_http_version 2.0; proxy_pass http://127.0.0.1; }"
                + "| invalid value \"2.0\" in \"proxy_http_version\" directive",
        "location / { proxy_read_timeout 1x; proxy_pass http://127.0.0.1; }"
                + "| \"proxy_read_timeout\" directive invalid value",
        "location / { proxy_connect_timeout 1s; proxy_connect_timeout 2s; }"
                + "| \"proxy_connect_timeout\" directive is duplicate",
        "location / { proxy_pass_request_body maybe; }                   | it must be \"on\" or \"off\"",
        "location / { proxy_set_header X; }"
                + "| invalid number of arguments in \"proxy_set_header\" directive",
        "proxy_pass http://127.0.0.1;"
                + "| \"proxy_pass\" directive is not allowed here",
        "location / { proxy_pass http://up:8080; }                       | upstream \"up\" may not have port 8080",
        "location / { proxy_cache_methods GET PUT; }                     | invalid value \"PUT\"",
        "location / { proxy_cache_min_uses x; }"
                + "| \"proxy_cache_min_uses\" directive invalid number",
        "location / { proxy_cache_min_uses -1; }"
                + "| \"proxy_cache_min_uses\" directive invalid number",
        "location / { proxy_cache_min_uses 1; proxy_cache_min_uses 2; }"
                + "| \"proxy_cache_min_uses\" directive is duplicate",
        "location / { proxy_cache_revalidate yes; }"
                + "| invalid value \"yes\" in \"proxy_cache_revalidate\" directive, it must be \"on\" or \"off\"",
        "location / { proxy_cache_convert_head 1; }"
                + "| invalid value \"1\" in \"proxy_cache_convert_head\" directive, it must be \"on\" or \"off\"",
        "location / { proxy_cache_max_range_offset x; }"
                + "| \"proxy_cache_max_range_offset\" directive invalid value",
        "location / { proxy_cache_max_range_offset 1k; proxy_cache_max_range_offset 1; }"
                + "| \"proxy_cache_max_range_offset\" directive is duplicate",
        "location / { proxy_no_cache; }"
                + "| invalid number of arguments in \"proxy_no_cache\" directive",
    })
    void locationErrors(String serverBody, String message) throws Exception {
        ConfException e = Gateways.error("upstream up { server 127.0.0.1:1; }", serverBody);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(message).contains("nginx.conf:");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "upstream u { server 127.0.0.1:1; } upstream u { server 127.0.0.1:2; } | duplicate upstream \"u\"",
        "upstream u { }                                                        | no servers are inside upstream",
        "upstream u { server 127.0.0.1:1 weight=0; }                           | invalid parameter \"weight=0\"",
        "upstream u { server 127.0.0.1:1 max_fails=x; }                        | invalid parameter \"max_fails=x\"",
        "upstream u { server 127.0.0.1:1 fail_timeout=1q; }                    | invalid parameter \"fail_timeout=1q\"",
        "upstream u { server 127.0.0.1:1 slow_start=1s; }                      | invalid parameter \"slow_start=1s\"",
        "upstream u { server no-such-host.invalid:80; }"
                + "| host not found in upstream \"no-such-host.invalid:80\"",
        "upstream u { server unix:/tmp/x.sock; }                               | unix domain sockets are not supported",
        "upstream u { server 127.0.0.1:1; keepalive 0; }"
                + "| invalid value \"0\" in \"keepalive\" directive",
        "upstream u { server 127.0.0.1:1; keepalive 2; keepalive 3; }          | \"keepalive\" directive is duplicate",
        "upstream u { server 127.0.0.1:1; listen 80; }"
                + "| \"listen\" directive is not allowed here",
        "keepalive 4;"
                + "| \"keepalive\" directive is not allowed here",
    })
    void upstreamErrors(String httpLevel, String message) throws Exception {
        ConfException e = Gateways.error(httpLevel, "");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(message).contains("nginx.conf:");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "upstream u { server 127.0.0.1:1 weight=2 max_fails=0 fail_timeout=5s; server 127.0.0.1:2 backup; "
                + "keepalive 16; keepalive_timeout 30s; keepalive_requests 100; }"
                + "| location / { proxy_pass http://u/; }",
        "'' | location ~ ^/x { proxy_pass http://127.0.0.1:1$request_uri; }",
        "upstream later { server 127.0.0.1:1; } | location / { proxy_pass http://LATER; }",
    })
    void validConfigurations(String httpLevel, String serverBody) throws Exception {
        assertThat(Gateways.error(httpLevel, serverBody)).isNull();
    }
}
