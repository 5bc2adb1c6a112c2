package io.jwtgate.core.http.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerNamesTest {

    private static final String ADDRESS = "0.0.0.0:80";

    /** One server per kind of name, listed so that order alone would pick the wrong one. */
    private static final ServerNames<String> SERVERS = ServerNames.<String>builder(ADDRESS)
            .server("first", List.of("first.test"), false)
            .server("regex", List.of("~^(?<sub>\\w+)\\.example\\.(com|net)$"), false)
            .server("tail", List.of("www.example.*"), false)
            .server("tail-longer", List.of("www.example.co.*"), false)
            .server("head", List.of("*.example.com"), false)
            .server("head-longer", List.of("*.api.example.com"), false)
            .server("dot", List.of(".example.org"), false)
            .server("exact", List.of("www.example.com", "Example.COM"), false)
            .server("empty", List.of(""), false)
            .server("default", List.of("_"), true)
            .build();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // exact beats every wildcard and regex
        "www.example.com          | exact",
        "example.com              | exact",
        // leading wildcards, the longest first, before trailing ones and regexes
        "foo.example.com          | head",
        "a.b.example.com          | head",
        "v1.api.example.com       | head-longer",
        "api.example.com          | head",
        // ".example.org" is example.org itself and every name below it
        "example.org              | dot",
        "x.example.org            | dot",
        "x.y.example.org          | dot",
        "xexample.org             | default",
        // trailing wildcards, the longest first
        "www.example.net          | tail",
        "www.example.co.uk        | tail-longer",
        "www.example              | default",
        // then regexes (case-insensitive), in order
        "foo.example.net          | regex",
        // the default server for the rest, and for no host at all unless server_name \"\" exists
        "unknown.test             | default",
        "first.test               | first",
        "''                       | empty",
    })
    void selectionOrder(String host, String expected) {
        assertThat(SERVERS.select(host).server()).isEqualTo(expected);
    }

    @Test
    void regexCapturesAreReturned() {
        ServerNames.Selection<String> selection = SERVERS.select("shop.example.net");

        assertThat(selection.server()).isEqualTo("regex");
        assertThat(selection.captures().group("sub")).isEqualTo("shop");
        assertThat(selection.captures().group(2)).isEqualTo("net");
        assertThat(SERVERS.select("www.example.com").captures()).isSameAs(RegexCaptures.NONE);
    }

    @Test
    void serverNameRegexesAreCaseless() {
        ServerNames<String> servers = ServerNames.<String>builder(ADDRESS)
                .server("default", List.of("d"), false)
                .server("regex", List.of("~^API\\d+\\.test$"), false)
                .build();

        assertThat(servers.select("api1.test").server()).isEqualTo("regex");
    }

    @Test
    void defaultServerIsTheFirstUnlessOneIsMarked() {
        ServerNames<String> firstWins = ServerNames.<String>builder(ADDRESS)
                .server("a", List.of("a.test"), false)
                .server("b", List.of("b.test"), false)
                .build();
        ServerNames<String> marked = ServerNames.<String>builder(ADDRESS)
                .server("a", List.of("a.test"), false)
                .server("b", List.of("b.test"), true)
                .build();

        assertThat(firstWins.select("other").server()).isEqualTo("a");
        assertThat(firstWins.select("").server()).isEqualTo("a");
        assertThat(firstWins.defaultServer()).isEqualTo("a");
        assertThat(marked.select("other").server()).isEqualTo("b");
        assertThat(marked.defaultServer()).isEqualTo("b");
    }

    @Test
    void duplicateDefaultServerIsAnError() {
        ServerNames.Builder<String> builder = ServerNames.<String>builder(ADDRESS).server("a", List.of(), true);

        assertThatThrownBy(() -> builder.server("b", List.of(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a duplicate default server for 0.0.0.0:80");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.", "**.example.com", "*.example.*", "www.*.com", "w*w.example.com",
        "*example.com", "a..b", "example.com.*x", "a\0b"})
    void invalidNames(String name) {
        ServerNames.Builder<String> builder = ServerNames.builder(ADDRESS);

        assertThatThrownBy(() -> builder.server("a", List.of(name), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid server name or wildcard \"" + name + "\" on 0.0.0.0:80");
    }

    @Test
    void invalidRegex() {
        ServerNames.Builder<String> builder = ServerNames.builder(ADDRESS);

        assertThatThrownBy(() -> builder.server("a", List.of("~(x"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid regex \"(x\": ");
    }

    @Test
    void conflictingNamesAreIgnoredWithAWarning() {
        ServerNames.Builder<String> builder = ServerNames.<String>builder(ADDRESS)
                .server("a", List.of("example.com", "*.example.net", "www.example.*", ".example.org"), false)
                .server("b", List.of("EXAMPLE.com", "*.example.net", "www.example.*", "example.org", "b.test"),
                        false)
                .server("c", List.of(".example.com", ".example.net", "*.example.org", "~^example\\.com$"), false);

        ServerNames<String> servers = builder.build();

        assertThat(builder.warnings()).containsExactly(
                "conflicting server name \"example.com\" on 0.0.0.0:80, ignored",
                "conflicting server name \"*.example.net\" on 0.0.0.0:80, ignored",
                "conflicting server name \"www.example.*\" on 0.0.0.0:80, ignored",
                "conflicting server name \"example.org\" on 0.0.0.0:80, ignored",
                "conflicting server name \".example.com\" on 0.0.0.0:80, ignored",
                "conflicting server name \".example.net\" on 0.0.0.0:80, ignored",
                "conflicting server name \"*.example.org\" on 0.0.0.0:80, ignored");
        assertThat(servers.select("example.com").server()).isEqualTo("a");
        assertThat(servers.select("x.example.com").server()).isEqualTo("a");
        assertThat(servers.select("x.example.net").server()).isEqualTo("a");
        assertThat(servers.select("example.net").server()).isEqualTo("a");
        assertThat(servers.select("example.org").server()).isEqualTo("a");
        assertThat(servers.select("b.test").server()).isEqualTo("b");
    }

    @Test
    void nameMatchAllocatesNoSelection() {
        assertThat(SERVERS.select("www.example.com")).isSameAs(SERVERS.select("www.example.com"));
        assertThat(SERVERS.select("x.example.org")).isSameAs(SERVERS.select("y.example.org"));
    }

    /** Host header, normalised host; "INVALID" for a 400. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "INVALID", value = {
        "example.com              | example.com",
        "Example.COM              | example.com",
        "example.com:8080         | example.com",
        "example.com.             | example.com",
        "example.com.:8080        | example.com",
        "EXAMPLE.com.:80          | example.com",
        "127.0.0.1:80             | 127.0.0.1",
        "[::1]:8080               | [::1]",
        "[::1]                    | [::1]",
        "[::FFFF:1.2.3.4]         | [::ffff:1.2.3.4]",
        "[::1                     | [::1",
        "localhost:               | localhost",
        "under_score.test         | under_score.test",
        "a\\b                     | a\\b",
        ".example.com             | .example.com",
        "a..b                     | INVALID",
        "example.com..            | INVALID",
        "a/b                      | INVALID",
        "''                       | INVALID",
        ":80                      | INVALID",
        ".                        | INVALID",
    })
    void normalizeHostLikeNginx(String host, String expected) {
        assertThat(ServerNames.normalizeHost(host)).isEqualTo(expected);
    }

    @Test
    void normalizeHostRejectsControlCharacters() {
        assertThat(ServerNames.normalizeHost("a\0b")).isNull();
        assertThat(ServerNames.normalizeHost("a b")).isNull();
        assertThat(ServerNames.normalizeHost("a\tb")).isNull();
        assertThat(ServerNames.normalizeHost("a\u007fb")).isNull();
    }

    @Test
    void normalizedHostIsReturnedAsTheSameInstance() {
        String host = new String("api.example.com");

        assertThat(ServerNames.normalizeHost(host)).isSameAs(host);
    }

    @Test
    void buildWithoutServersFails() {
        assertThatThrownBy(() -> ServerNames.<String>builder(ADDRESS).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
