package io.jwtgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.puppycrawl.tools.checkstyle.Checker;
import com.puppycrawl.tools.checkstyle.ConfigurationLoader;
import com.puppycrawl.tools.checkstyle.PropertiesExpander;
import com.puppycrawl.tools.checkstyle.api.AuditEvent;
import com.puppycrawl.tools.checkstyle.api.AuditListener;
import com.puppycrawl.tools.checkstyle.api.CheckstyleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's Checkstyle rules (checkstyle/ at the repository root, docs/README.md#code-checks) run on small
 * sources written here, at the paths the real sources have: each rule must catch what it is for, and let through
 * what is allowed, so that a green build means something.
 */
class CodeRulesTest {

    private static final Path RULES = Path.of("..", "checkstyle").toAbsolutePath().normalize();

    @TempDir
    Path repo;

    @Test
    void aModuleSeesNeitherTheServerNorTheConfigurationLoader() throws Exception {
        List<String> found = check("modules/proxy/src/main/java/io/jwtgate/proxy/Fixture.java", """
                package io.jwtgate.proxy;

                import io.jwtgate.core.codec.FlatHttpHeaders;
                import io.jwtgate.core.config.GatewayConfig;
                import io.jwtgate.core.http.HttpExchange;
                import io.jwtgate.core.module.HttpModule;
                import io.jwtgate.core.server.HttpRuntime;
                import io.jwtgate.core.var.Variables;

                final class Fixture {
                    FlatHttpHeaders h;
                    GatewayConfig c;
                    HttpExchange x;
                    HttpModule m;
                    HttpRuntime r;
                    Variables v;
                }
                """);
        assertThat(found).containsExactly(
                "4 ImportControl: Disallowed import - io.jwtgate.core.config.GatewayConfig.",
                "7 ImportControl: Disallowed import - io.jwtgate.core.server.HttpRuntime.");
    }

    @Test
    void aNewModuleIsHeldToTheInterfaceWithoutBeingListed() throws Exception {
        List<String> found = check("modules/limits/src/main/java/io/jwtgate/limits/Fixture.java", """
                package io.jwtgate.limits;

                import io.jwtgate.core.codec.PemFiles;
                import io.jwtgate.core.http.HttpExchange;
                import io.jwtgate.core.server.HttpRuntime;
                import io.jwtgate.core.tls.ServerTls;

                final class Fixture {
                    PemFiles p;
                    HttpExchange x;
                    HttpRuntime r;
                    ServerTls t;
                }
                """);
        assertThat(found).containsExactly(
                "5 ImportControl: Disallowed import - io.jwtgate.core.server.HttpRuntime.",
                "6 ImportControl: Disallowed import - io.jwtgate.core.tls.ServerTls.");
    }

    @Test
    void aModulesTestsAndTheCoresOwnModulesKeepToTheInterfaceToo() throws Exception {
        assertThat(check("modules/jwt/src/test/java/io/jwtgate/jwt/Fixture.java", """
                package io.jwtgate.jwt;

                import io.jwtgate.core.server.HttpServer;

                final class Fixture {
                    HttpServer s;
                }
                """)).containsExactly("3 ImportControl: Disallowed import - io.jwtgate.core.server.HttpServer.");
        assertThat(check("core/src/main/java/io/jwtgate/core/builtin/Fixture.java", """
                package io.jwtgate.core.builtin;

                import static io.jwtgate.core.config.ConfigLoader.load;

                final class Fixture {
                    Object o = load();
                }
                """)).containsExactly("3 ImportControl: Disallowed import - io.jwtgate.core.config.ConfigLoader.load.");
    }

    @Test
    void aLowerCorePackageNeverImportsAHigherOne() throws Exception {
        assertThat(imports("conf", "io.jwtgate.core.http.HttpExchange")).isEqualTo(List.of("disallowed"));
        assertThat(imports("codec", "io.jwtgate.core.conf.ConfException")).isEqualTo(List.of("disallowed"));
        assertThat(imports("http.route", "io.jwtgate.core.http.LocationConf")).isEqualTo(List.of("disallowed"));
        assertThat(imports("http", "io.jwtgate.core.var.Variables")).isEqualTo(List.of("disallowed"));
        assertThat(imports("var", "io.jwtgate.core.module.HttpModule")).isEqualTo(List.of("disallowed"));
        assertThat(imports("module", "io.jwtgate.core.builtin.CoreModules")).isEqualTo(List.of("disallowed"));
        assertThat(imports("server", "io.jwtgate.core.config.GatewayConfig")).isEqualTo(List.of("disallowed"));

        assertThat(imports("http.route", "io.jwtgate.core.conf.ConfException")).isEmpty();
        assertThat(imports("http", "io.jwtgate.core.http.route.LocationTree")).isEmpty();
        assertThat(imports("http", "io.jwtgate.core.tls.TlsSettings")).isEmpty();
        assertThat(imports("var", "io.jwtgate.core.http.HttpExchange")).isEmpty();
        assertThat(imports("module", "io.jwtgate.core.var.Variables")).isEmpty();
        assertThat(imports("config", "io.jwtgate.core.server.HttpRuntime")).isEmpty();
    }

    @Test
    void joseNeedsNeitherNettyNorTheGateway() throws Exception {
        assertThat(check("jose/src/main/java/io/jwtgate/jose/Fixture.java", """
                package io.jwtgate.jose;

                import io.jwtgate.core.conf.ConfValues;
                import io.jwtgate.jose.internal.Base64Url;
                import io.netty.buffer.ByteBuf;

                final class Fixture {
                    ConfValues c;
                    Base64Url b;
                    ByteBuf buf;
                }
                """)).containsExactly(
                "3 ImportControl: Disallowed import - io.jwtgate.core.conf.ConfValues.",
                "5 ImportControl: Disallowed import - io.netty.buffer.ByteBuf.");
    }

    @Test
    void theCoresOwnTestsMayReachAcrossItsLayers() throws Exception {
        assertThat(check("core/src/test/java/io/jwtgate/core/tls/Fixture.java", """
                package io.jwtgate.core.tls;

                import io.jwtgate.core.builtin.CoreModules;

                final class Fixture {
                    Object m = CoreModules.create();
                }
                """)).isEmpty();
    }

    @Test
    void importsAreUsedSortedAndSingle() throws Exception {
        assertThat(check("cli/src/main/java/io/jwtgate/cli/Fixture.java", """
                package io.jwtgate.cli;

                import java.util.Map;
                import java.util.List;
                import java.util.concurrent.*;
                import io.jwtgate.cli.Main;

                final class Fixture {
                    List<Map<String, Executor>> l;
                }
                """)).containsExactly(
                "4 ImportOrder: Wrong order for 'java.util.List' import.",
                "5 AvoidStarImport: Using the '.*' form of import should be avoided - java.util.concurrent.*.",
                "6 ImportOrder: Wrong order for 'io.jwtgate.cli.Main' import.",
                "6 RedundantImport: Redundant import from the same package - io.jwtgate.cli.Main.",
                "6 UnusedImports: Unused import - io.jwtgate.cli.Main.");
    }

    @Test
    void aTypeIsImportedNotQualifiedInline() throws Exception {
        List<String> found = check("cli/src/main/java/io/jwtgate/cli/Fixture.java", """
                package io.jwtgate.cli;

                /** Javadoc may link {@link java.util.function.Consumer}. */
                final class Fixture {
                    java.util.function.Consumer<String> c;
                    String s = "java.util.List is named in a string";
                    // SUPPRESS CHECKSTYLE InlineQualifiedName: a clash of simple names
                    org.slf4j.Logger log;
                    Object o = new java.util.ArrayList<>(); // a comment with java.util.List
                    int n = io.jwtgate.cli.Main.OK + java.util.concurrent.TimeUnit.SECONDS.ordinal();
                    Object io;
                    String t = io.toString();
                }
                """);
        assertThat(found).containsExactly(
                "5 InlineQualifiedName: Fully qualified type name in code: import it.",
                "9 InlineQualifiedName: Fully qualified type name in code: import it.",
                "10 InlineQualifiedName: Fully qualified type name in code: import it.",
                "10 InlineQualifiedName: Fully qualified type name in code: import it.");
    }

    @Test
    void linesAreAtMost120Columns() throws Exception {
        String fits = "x".repeat(120 - "    String s = \"\";".length());
        assertThat(check("cli/src/main/java/io/jwtgate/cli/Fixture.java", """
                package io.jwtgate.cli;

                final class Fixture {
                    String s = "%s";
                    String t = "%sx";
                }
                """.formatted(fits, fits)))
                .containsExactly("5 LineLength: Line is longer than 120 characters (found 121).");
    }

    /** The import control verdicts for one import in a class of {@code io.jwtgate.core.<pkg>}. */
    private List<String> imports(String pkg, String imported) throws Exception {
        String simple = imported.substring(imported.lastIndexOf('.') + 1);
        List<String> found = check("core/src/main/java/io/jwtgate/core/" + pkg.replace('.', '/') + "/Fixture.java", """
                package io.jwtgate.core.%s;

                import %s;

                final class Fixture {
                    %s f;
                }
                """.formatted(pkg, imported, simple));
        return found.stream().map(v -> v.startsWith("3 ImportControl: Disallowed import") ? "disallowed" : v).toList();
    }

    /** Runs the build's rules on one source at {@code path} (as in the repository) and returns "line check: text". */
    private List<String> check(String path, String source) throws IOException, CheckstyleException {
        assertThat(RULES.resolve("checkstyle.xml")).as("the rules at the repository root").exists();
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Properties properties = new Properties();
        properties.setProperty("checkstyle.dir", RULES.toString());
        Checker checker = new Checker();
        checker.setModuleClassLoader(Checker.class.getClassLoader());
        checker.setLocaleLanguage("en");
        checker.setLocaleCountry("");
        checker.configure(ConfigurationLoader.loadConfiguration(RULES.resolve("checkstyle.xml").toString(),
                new PropertiesExpander(properties), ConfigurationLoader.IgnoredModulesOptions.OMIT));
        List<String> found = new ArrayList<>();
        checker.addListener(new AuditListener() {
            @Override
            public void auditStarted(AuditEvent event) {
            }

            @Override
            public void auditFinished(AuditEvent event) {
            }

            @Override
            public void fileStarted(AuditEvent event) {
            }

            @Override
            public void fileFinished(AuditEvent event) {
            }

            @Override
            public void addError(AuditEvent event) {
                String check = event.getModuleId() != null ? event.getModuleId()
                        : event.getSourceName().substring(event.getSourceName().lastIndexOf('.') + 1)
                                .replace("Check", "");
                found.add(event.getLine() + " " + check + ": " + event.getMessage());
            }

            @Override
            public void addException(AuditEvent event, Throwable throwable) {
                throw new AssertionError("Checkstyle failed on " + event.getFileName(), throwable);
            }
        });
        try {
            checker.process(List.of(file.toFile()));
        } finally {
            checker.destroy();
        }
        return found;
    }
}
