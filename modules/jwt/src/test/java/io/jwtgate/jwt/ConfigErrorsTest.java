package io.jwtgate.jwt;

import static io.jwtgate.jwt.Fixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configuration mistakes stop start-up with {@code <message> in <file>:<line>}. The directive under test is always
 * on line 5 of the generated file.
 */
class ConfigErrorsTest {

    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        dir = Files.createTempDirectory("jwt-conf");
        Files.writeString(dir.resolve("weak.jwks"), "{\"keys\":[" + new RSAKey.Builder(
                (RSAPublicKey) Fixtures.rsa(1024).getPublic()).build().toJSONString() + "]}");
        Files.writeString(dir.resolve("broken.jwks"), "{\"keys\":[");
        Files.writeString(dir.resolve("empty.jwks"), "{\"keys\":[]}");
        Files.writeString(dir.resolve("bad.pem"), "hello");
        Files.writeString(dir.resolve("good.pem"), Fixtures.pem(Fixtures.ec("secp256r1").getPublic()));
        Files.writeString(dir.resolve("bad-revocation.json"), "{\"a\":");
        Files.writeString(dir.resolve("number-revocation.json"), "42");
    }

    /** Lines 1-4 are fixed so that the directive is on line 5 of nginx.conf. */
    static ConfException error(String locationLine) throws Exception {
        String conf = "events { }\nhttp {\n  server {\n    location / {\n" + locationLine + "\n"
                + "      echo \"\";\n    }\n  }\n}\n";
        return TestGateway.configError(dir, conf, Fixtures.modules(new Fixtures.TestClock()));
    }

    static String file() {
        return dir.resolve("nginx.conf").toString();
    }

    static Stream<Arguments> mistakes() {
        String p = dir == null ? "" : dir.toString();
        return Stream.of(
                // arity
                Arguments.of("jwt_secret;", "invalid number of arguments in \"jwt_secret\" directive"),
                Arguments.of("jwt_secret a token=$x c;", "invalid number of arguments in \"jwt_secret\" directive"),
                Arguments.of("jwt_key_file;", "invalid number of arguments in \"jwt_key_file\" directive"),
                Arguments.of("jwt_key_file a jwks x;", "invalid number of arguments in \"jwt_key_file\" directive"),
                Arguments.of("jwt_claim $a;", "invalid number of arguments in \"jwt_claim\" directive"),
                Arguments.of("jwt_header $a b c;", "invalid number of arguments in \"jwt_header\" directive"),
                Arguments.of("jwt_require_claim a eq;",
                        "invalid number of arguments in \"jwt_require_claim\" directive"),
                Arguments.of("jwt_require_header a eq b c;",
                        "invalid number of arguments in \"jwt_require_header\" directive"),
                Arguments.of("jwt_require;", "invalid number of arguments in \"jwt_require\" directive"),
                Arguments.of("jwt_issuer;", "invalid number of arguments in \"jwt_issuer\" directive"),
                Arguments.of("jwt_audience;", "invalid number of arguments in \"jwt_audience\" directive"),
                Arguments.of("jwt_validate_exp;", "invalid number of arguments in \"jwt_validate_exp\" directive"),
                Arguments.of("jwt_validate_sig on off;",
                        "invalid number of arguments in \"jwt_validate_sig\" directive"),
                Arguments.of("jwt_leeway;", "invalid number of arguments in \"jwt_leeway\" directive"),
                Arguments.of("jwt_revocation_list_sub;",
                        "invalid number of arguments in \"jwt_revocation_list_sub\" directive"),
                Arguments.of("jwt_revocation_list_kid a b;",
                        "invalid number of arguments in \"jwt_revocation_list_kid\" directive"),
                Arguments.of("jwt_phase;", "invalid number of arguments in \"jwt_phase\" directive"),
                Arguments.of("jwt_realm a b;", "invalid number of arguments in \"jwt_realm\" directive"),
                // values
                Arguments.of("jwt_require_claim role eqq admin;",
                        "unknown operator \"eqq\" in \"jwt_require_claim\" directive"),
                Arguments.of("jwt_require_header alg like x;",
                        "unknown operator \"like\" in \"jwt_require_header\" directive"),
                Arguments.of("jwt_require_claim n match \"(a\";", null),
                Arguments.of("jwt_require_claim n gt abc;", null),
                Arguments.of("jwt_require_claim n eq json={;", null),
                Arguments.of("jwt_require_claim a..b eq x;", null),
                Arguments.of("jwt_leeway 10x;", "\"jwt_leeway\" directive invalid value"),
                Arguments.of("jwt_leeway 500ms;", "\"jwt_leeway\" directive invalid value"),
                Arguments.of("jwt_validate_exp yes;",
                        "invalid value \"yes\" in \"jwt_validate_exp\" directive, it must be \"on\" or \"off\""),
                Arguments.of("jwt_phase content;",
                        "invalid value \"content\" in \"jwt_phase\" directive, it must be one of \"access\", "
                                + "\"preaccess\""),
                Arguments.of("jwt_require $a error=600;",
                        "invalid error code \"600\" in \"jwt_require\" directive, it must be between 400 and 599"),
                Arguments.of("jwt_require $a error=399;",
                        "invalid error code \"399\" in \"jwt_require\" directive, it must be between 400 and 599"),
                Arguments.of("jwt_require $a error=abc;",
                        "invalid error code \"abc\" in \"jwt_require\" directive, it must be between 400 and 599"),
                Arguments.of("jwt_require error=403 $a;",
                        "\"error=\" must be the last parameter of \"jwt_require\" directive"),
                Arguments.of("jwt_require error=403;", "no value to check in \"jwt_require\" directive"),
                Arguments.of("jwt_require $nosuchvariable;", "unknown \"nosuchvariable\" variable"),
                Arguments.of("jwt_claim user sub;", "invalid variable name \"user\""),
                Arguments.of("jwt_claim $uri sub;", "the duplicate \"uri\" variable"),
                Arguments.of("jwt_secret \"" + SECRET + "\"; jwt_secret off;", "\"jwt_secret\" directive is duplicate"),
                Arguments.of("jwt_key_file good.pem pem; jwt_secret off;",
                        "\"jwt_secret off\" cannot be combined with a key source at the same level"),
                Arguments.of("jwt_secret off; jwt_key_file good.pem pem;",
                        "\"jwt_secret off\" cannot be combined with a key source at the same level"),
                Arguments.of("jwt_secret off; jwt_key_request /jwks;",
                        "\"jwt_secret off\" cannot be combined with a key source at the same level"),
                Arguments.of("jwt_secret \"\";", "empty secret in \"jwt_secret\" directive"),
                Arguments.of("jwt_secret token=;", "empty \"token=\" parameter in \"jwt_secret\" directive"),
                Arguments.of("jwt_issuer a; jwt_issuer b;", "\"jwt_issuer\" directive is duplicate"),
                Arguments.of("jwt_realm \"a\u0001\";", "invalid character in \"jwt_realm\" directive"),
                // files
                Arguments.of("jwt_key_file missing.jwks;",
                        "open() \"" + p + "/missing.jwks\" failed (2: No such file or directory)"),
                Arguments.of("jwt_key_file broken.jwks;", null),
                Arguments.of("jwt_key_file empty.jwks;", "invalid key file \"" + p + "/empty.jwks\": no usable key"),
                Arguments.of("jwt_key_file weak.jwks;", "invalid key file \"" + p + "/weak.jwks\": no usable key"),
                Arguments.of("jwt_key_file bad.pem pem;", null),
                Arguments.of("jwt_key_file good.pem jwks;",
                        "invalid key file \"" + p + "/good.pem\": the content is pem, not jwks as stated"),
                Arguments.of("jwt_key_file bad.pem der;",
                        "invalid key file format \"der\" in \"jwt_key_file\" directive, it must be \"jwks\", "
                                + "\"keyval\" or \"pem\""),
                Arguments.of("jwt_revocation_list_sub missing.json;",
                        "open() \"" + p + "/missing.json\" failed (2: No such file or directory)"),
                Arguments.of("jwt_revocation_list_kid bad-revocation.json;", null),
                Arguments.of("jwt_revocation_list_kid number-revocation.json;",
                        "invalid revocation list \"" + p + "/number-revocation.json\": "
                                + "revocation list must be a JSON object or array"),
                Arguments.of("jwt_key_request jwks.example;", "invalid URI \"jwks.example\" in \"jwt_key_request\" "
                        + "directive, it must name a location of this server"),
                Arguments.of("jwt_key_request /jwks pem;", "invalid key format \"pem\" in \"jwt_key_request\" "
                        + "directive, it must be \"jwks\" or \"keyval\""),
                Arguments.of("jwt_key_request /a /b /c;",
                        "invalid number of arguments in \"jwt_key_request\" directive"),
                Arguments.of("jwt_key_refresh_interval soon;", "\"jwt_key_refresh_interval\" directive invalid value"),
                Arguments.of("jwt_key_request_prefetch yes;", "invalid value \"yes\" in \"jwt_key_request_prefetch\" "
                        + "directive, it must be \"on\" or \"off\""),
                Arguments.of("jwt_key_request $arg_keys; jwt_key_request_prefetch on;", "\"jwt_key_request_prefetch "
                        + "on\" in location \"/\" cannot fetch \"$arg_keys\" before a request: its URI has variables"),
                Arguments.of("jwt_log_level;", "invalid number of arguments in \"jwt_log_level\" directive"),
                Arguments.of("jwt_log_level loud;", "invalid value \"loud\" in \"jwt_log_level\" directive, it must be "
                        + "one of \"alert\", \"crit\", \"debug\", \"emerg\", \"error\", \"info\", \"notice\", "
                        + "\"warn\""),
                Arguments.of("jwt_log_level info; jwt_log_level warn;", "\"jwt_log_level\" directive is duplicate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakeStopsStartUpWithMessageAndLine(String line, String message) throws Exception {
        ConfException e = error(line);
        assertThat(e).as(line).isNotNull();
        assertThat(e.file()).isEqualTo(file());
        assertThat(e.line()).isEqualTo(5);
        if (message != null) {
            assertThat(e.reason()).isEqualTo(message);
        } else {
            assertThat(e.reason()).isNotBlank();
        }
        assertThat(e.getMessage()).isEqualTo(e.reason() + " in " + file() + ":5");
    }

    @Test
    void brokenFilesNameTheFile() throws Exception {
        assertThat(error("jwt_key_file broken.jwks;").reason()).startsWith(
                "invalid key file \"" + dir.resolve("broken.jwks") + "\": ");
        assertThat(error("jwt_key_file bad.pem pem;").reason()).startsWith(
                "invalid key file \"" + dir.resolve("bad.pem") + "\": ");
        assertThat(error("jwt_require_claim n match \"(a\";").reason()).endsWith("in \"jwt_require_claim\" directive");
    }

    @Test
    void withoutAFormatTheContentDecides() throws Exception {
        assertThat(error("jwt_key_file good.pem;")).isNull();
        assertThat(error("jwt_key_file bad.pem;").reason()).startsWith("invalid key file \"" + dir.resolve("bad.pem")
                + "\": not a key document in any format: jwks: ").contains("; keyval: ").contains("; pem: ");
    }

    @Test
    void wrongContext() throws Exception {
        String conf = "events { }\njwt_secret \"" + SECRET + "\";\nhttp { }\n";
        ConfException e = TestGateway.configError(dir, conf, Fixtures.modules(new Fixtures.TestClock()));
        assertThat(e.getMessage()).isEqualTo("\"jwt_secret\" directive is not allowed here in " + file() + ":2");
        for (String d : new String[] {"jwt_claim $a b", "jwt_realm r", "jwt_phase access", "jwt_leeway 1"}) {
            String c = "events { }\nhttp {\n upstream u { server 127.0.0.1:1; " + d + "; }\n}\n";
            ConfException u = TestGateway.configError(dir, c, Fixtures.modules(new Fixtures.TestClock()));
            assertThat(u).as(d).isNotNull();
        }
    }

    @Test
    void locationWithoutAnyKeyIsAnError() throws Exception {
        String conf = "events { }\nhttp {\n server {\n  location /x { jwt_secret token=$cookie_t; }\n }\n}\n";
        ConfException e = TestGateway.configError(dir, conf, Fixtures.modules(new Fixtures.TestClock()));
        assertThat(e.getMessage()).isEqualTo("no key for JWT validation in location \"/x\": add jwt_secret "
                + "\"<secret>\", jwt_key_file or jwt_key_request, or set jwt_validate_sig off in "
                + dir.resolve("nginx.conf") + ":4");
    }

    @Test
    void shortSecretIsOnlyAWarning() throws Exception {
        String conf = "events { }\nhttp {\n server {\n  location /x { jwt_secret short; echo \"\"; }\n }\n}\n";
        assertThat(TestGateway.configError(dir, conf, Fixtures.modules(new Fixtures.TestClock()))).isNull();
    }
}
