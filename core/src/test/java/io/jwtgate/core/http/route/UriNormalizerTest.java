package io.jwtgate.core.http.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriNormalizerTest {

    /** Raw path, normalised path; "INVALID" for a 400. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "INVALID", value = {
        "/                 | /",
        "/index.html       | /index.html",
        "/a/../b           | /b",
        "/a/./b            | /a/b",
        "//a///b           | /a/b",
        "/a//              | /a/",
        "/a/.              | /a/",
        "/a/..             | /",
        "/a/b/..           | /a/",
        "/a/b/../../c      | /c",
        "/a/./../b         | /b",
        "/.                | /",
        "/./               | /",
        "/..               | INVALID",
        "/../x             | INVALID",
        "/a/../../x        | INVALID",
        "/%2e%2e/x         | INVALID",
        "/%2E%2E/x         | INVALID",
        "/.%2e/x           | INVALID",
        "/a/%2e%2e/b       | /b",
        "/a/%2e/b          | /a/b",
        "/a%2F%2Fb         | /a/b",
        "/a%2f..%2fb       | /b",
        "/..a/b            | /..a/b",
        "/a..              | /a..",
        "/.hidden          | /.hidden",
        "/a/...            | /a/...",
        "/%41              | /A",
        "/%7e%7E           | /~~",
        "/a%20b            | /a b",
        "/%25              | /%",
        "/%2541            | /%41",
        "/%23x             | /#x",
        "/%3Fx             | /?x",
        "/%25/..           | /",
        "/%zz              | INVALID",
        "/%4               | INVALID",
        "/%                | INVALID",
        "/a%g1             | INVALID",
        "/%00              | INVALID",
        "/a%00b            | INVALID",
        "/a+b              | /a+b",
        "/a/b?x=/../..     | /a/b",
        "/a/./?x           | /a/",
        "/a/..?x           | /",
        "/a/.#frag         | /a/",
        "/a#/../..         | /a",
        "/caf%C3%A9        | /café",
        "/%E2%82%AC        | /€",
        "/%C3              | INVALID",
        "/%FF              | INVALID",
        "a/b               | INVALID",
        "''                | INVALID",
    })
    void normalizesLikeNginx(String raw, String expected) {
        assertThat(UriNormalizer.normalize(raw)).isEqualTo(expected);
    }

    @Test
    void rawBytesAreDecodedAsUtf8() {
        // Netty hands over the request line one char per byte
        assertThat(UriNormalizer.normalize("/caf\u00c3\u00a9")).isEqualTo("/café");
        assertThat(UriNormalizer.normalize("/caf\u00e9")).isNull();
        assertThat(UriNormalizer.normalize("/\u20ac")).isNull();
        assertThat(UriNormalizer.normalize("/a\0b")).isNull();
    }

    @Test
    void plainPathIsReturnedAsTheSameInstance() {
        String path = new String("/api/v1/users.json");

        assertThat(UriNormalizer.normalize(path)).isSameAs(path);
    }
}
