package io.jwtgate.core.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What makes the tests of the test modules mean something: every class of {@code io.jwtgate.moduletest} (a streaming
 * content handler, the request flow's redirects, subrequests) is written as a third party would write a module, so it
 * names only the public module interface ({@code io.jwtgate.core.http}, {@code http.route}, {@code module},
 * {@code var}, {@code conf}, {@code codec}), the JDK and the Netty types the content contract exposes, in its imports
 * and in fully qualified names alike.
 */
class TestModulesInterfaceTest {

    private static final Path PACKAGE = Path.of("src/test/java/io/jwtgate/moduletest");
    private static final String PUBLIC =
            "io\\.jwtgate\\.core\\.(?:http|http\\.route|module|var|conf|codec)\\.[A-Z]\\w*";
    private static final Pattern ALLOWED_IMPORT = Pattern.compile("(?:java\\.[a-z.]+|io\\.netty\\.(?:buffer|channel"
            + "|handler\\.codec\\.http|util|util\\.concurrent)|io\\.jwtgate\\.moduletest)\\.[A-Z][\\w.]*|" + PUBLIC
            + "(?:\\.\\w+)?");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.*]+);$", Pattern.MULTILINE);
    /** A jwtgate name anywhere in the text, up to its first capitalised part (the class). */
    private static final Pattern JWTGATE_NAME = Pattern.compile("\\bio\\.jwtgate(?:\\.[a-z]\\w*)*(?:\\.[A-Z]\\w*)?");
    private static final Pattern ALLOWED_NAME = Pattern.compile(PUBLIC + "|io\\.jwtgate\\.moduletest(?:\\.[A-Z]\\w*)?");

    @Test
    void everyClassOfThePackageSeesOnlyThePublicInterface() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(PACKAGE)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(sources).extracting(p -> p.getFileName().toString())
                .contains("StreamingModule.java", "FlowTestModule.java", "ProbeModule.java");
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            violations.addAll(violations(source.getFileName().toString(), Files.readString(source)));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckRefusesTheServerAConfigAndWildcards() {
        String source = """
                package io.jwtgate.moduletest;

                import io.jwtgate.core.http.HttpExchange;
                import io.jwtgate.core.server.HttpRuntime;
                import io.netty.handler.codec.http.*;

                /** Uses {@link io.jwtgate.core.config.GatewayConfig}. */
                final class Bad {
                    Object o = io.jwtgate.core.builtin.CoreModules.create();
                }
                """;
        assertThat(violations("Bad.java", source)).containsExactly(
                "Bad.java imports io.jwtgate.core.server.HttpRuntime",
                "Bad.java imports io.netty.handler.codec.http.*",
                "Bad.java names io.jwtgate.core.server.HttpRuntime",
                "Bad.java names io.jwtgate.core.config.GatewayConfig",
                "Bad.java names io.jwtgate.core.builtin.CoreModules");
    }

    private static List<String> violations(String file, String source) {
        List<String> found = new ArrayList<>();
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            if (!ALLOWED_IMPORT.matcher(imports.group(1)).matches()) {
                found.add(file + " imports " + imports.group(1));
            }
        }
        Matcher names = JWTGATE_NAME.matcher(source);
        while (names.find()) {
            if (!ALLOWED_NAME.matcher(names.group()).matches()) {
                found.add(file + " names " + names.group());
            }
        }
        return found;
    }
}
