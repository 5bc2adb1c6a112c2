package io.jwtgate.jose.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.jwtgate.jose.internal.StrictJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimPathTest {

    static final String DOC = "{\"sub\":\"alice\",\"https://example.com/roles\":[\"r1\",\"r2\"],"
            + "\"realm_access\":{\"roles\":[\"admin\",\"user\"]},\"a.b\":\"top-dotted\",\"a\":{\"b\":\"nested\"},"
            + "\"grants\":{\"access.service\":{\"roles\":[\"x\"]}},\"address\":{\"city\":\"Paris\"},"
            + "\"groups\":[{\"name\":\"g0\"},{\"name\":\"g1\"}],\"codes\":{\"7\":\"seven\"},\"q\\\"uote\":\"qq\"}";

    static JsonNode doc() throws Exception {
        return StrictJson.parse(DOC, 16);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "sub|\"alice\"",
        "https://example.com/roles|[\"r1\",\"r2\"]",
        "realm_access.roles|[\"admin\",\"user\"]",
        "realm_access.roles.0|\"admin\"",
        "realm_access.roles.1|\"user\"",
        "realm_access.roles.2|<missing>",
        "a.b|\"top-dotted\"",
        "\"a\".b|\"nested\"",
        "grants.\"access.service\".roles|[\"x\"]",
        "grants.\"access.service\".roles.0|\"x\"",
        "codes.7|\"seven\"",
        "nope|<missing>",
        "sub.x|<missing>",
        ".address.city|\"Paris\"",
        ".groups[0].name|\"g0\"",
        ".groups[1].name|\"g1\"",
        ".groups[2].name|<missing>",
        ".\"a.b\"|\"top-dotted\"",
        ".a.b|\"nested\"",
        "[\"a.b\"]|\"top-dotted\"",
        ".realm_access.roles[0]|\"admin\"",
        ".realm_access.roles.[1]|\"user\"",
        ".\"q\\\"uote\"|\"qq\"",
        ".groups.name|<missing>",
    })
    void resolves(String path, String expected) throws Exception {
        JsonNode n = ClaimPath.parse(path).resolve(doc());
        if (expected.equals("<missing>")) {
            assertThat(n).isNull();
        } else {
            assertThat(n).isEqualTo(StrictJson.parse(expected, 16));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a..b", "a.", ".", "\"unterminated", "\"a\"b", ".a[", ".a[x]", ".a[-1]", ".a..b", "[0", "..a"})
    void badSyntax(String path) {
        if (path.equals(".")) {
            // jq identity: the whole document, not an error.
            assertThat(ClaimPath.parse(".").resolve(IntNode.valueOf(1))).isNotNull();
            return;
        }
        assertThatThrownBy(() -> ClaimPath.parse(path)).isInstanceOf(IllegalArgumentException.class);
    }
}
