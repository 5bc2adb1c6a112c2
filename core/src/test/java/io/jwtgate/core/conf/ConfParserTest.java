package io.jwtgate.core.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfParserTest {

    @TempDir
    Path dir;

    /**
     * Valid sources and their tree, rendered as {@code line:name [arg]... {children}} with directives separated by
     * {@code ;}. Brackets make empty and blank arguments visible.
     */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("", ""),
                Arguments.of("   \n\t\r\n", ""),
                Arguments.of("# only a comment", ""),
                Arguments.of("worker_processes 2;", "1:worker_processes [2]"),
                Arguments.of("a;b;", "1:a; 1:b"),
                Arguments.of("a 1 2 3 ;", "1:a [1] [2] [3]"),
                Arguments.of("events { worker_connections 10; }", "1:events {1:worker_connections [10]}"),
                Arguments.of("http{server{listen 80;}}", "1:http {1:server {1:listen [80]}}"),
                Arguments.of("empty {}", "1:empty {}"),
                Arguments.of("\n\nserver {\n  listen 8080;\n\n  location / {\n  }\n}\n",
                        "3:server {4:listen [8080]; 6:location [/] {}}"),
                // a directive split over lines reports the line of its name
                Arguments.of("\nproxy_set_header\n  Host\n  $host;", "2:proxy_set_header [Host] [$host]"),
                Arguments.of("a \"x\ny\";\nb;", "1:a [x\ny]; 3:b"),
                // comments only start a word
                Arguments.of("a b#c; # rest ; {\nd;", "1:a [b#c]; 2:d"),
                Arguments.of("a \"#x\" '#y';", "1:a [#x] [#y]"),
                Arguments.of("a #c\n  b;", "1:a [b]"),
                // quotes and escapes
                Arguments.of("a \"\" '';", "1:a [] []"),
                Arguments.of("a \"x y\" 'p q';", "1:a [x y] [p q]"),
                Arguments.of("a \"say \\\"hi\\\"\" 'it\\'s';", "1:a [say \"hi\"] [it's]"),
                Arguments.of("a \"\\t\\r\\n\\\\\";", "1:a [\t\r\n\\]"),
                Arguments.of("a \"'\" '\"';", "1:a ['] [\"]"),
                Arguments.of("location ~ \\.php$ {}", "1:location [~] [\\.php$] {}"),
                Arguments.of("location ~ \"^/(\\d+)\\.(gif|jpg)$\" {}", "1:location [~] [^/(\\d+)\\.(gif|jpg)$] {}"),
                Arguments.of("a x\\;y;", "1:a [x\\;y]"),
                Arguments.of("a \\;;", "1:a [\\;]"),
                Arguments.of("a x\\ y;", "1:a [x\\ y]"),
                Arguments.of("a x\\ty;", "1:a [x\ty]"),
                Arguments.of("a \"x\"{b;}", "1:a [x] {1:b}"),
                Arguments.of("a \"x\";", "1:a [x]"),
                // a quoted word may be followed directly by ")", which starts the next word
                Arguments.of("if ($a = \"b\") { c; }", "1:if [($a] [=] [b] [)] {1:c}"),
                // "${" does not open a block; "}" inside a word does not close one
                Arguments.of("set $a \"${b}c\";", "1:set [$a] [${b}c]"),
                Arguments.of("set $a ${b}c;", "1:set [$a] [${b}c]"),
                Arguments.of("set $a x${b}y${c};", "1:set [$a] [x${b}y${c}]"),
                Arguments.of("s { set $a ${b}; }", "1:s {1:set [$a] [${b}]}"),
                Arguments.of("a b}c;", "1:a [b}c]"),
                Arguments.of("a $ {}", "1:a [$] {}"),
                Arguments.of("a\r\nb;\r\n", "1:a [b]"),
                Arguments.of("map $a $b {\n  default 0;\n  ~^x 1;\n}", "1:map [$a] [$b] {2:default [0]; 3:~^x [1]}"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parsesValidConfiguration(String source, String expected) throws Exception {
        Path main = write("nginx.conf", source);

        List<ConfDirective> tree = ConfParser.parse(main);

        assertThat(render(tree)).isEqualTo(expected);
        assertThat(files(tree)).allMatch(file -> file.equals(main.toString()));
    }

    /** Invalid sources, the exact nginx reason and the line nginx reports. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("a", "unexpected end of file, expecting \";\" or \"}\"", 1),
                Arguments.of("a b\n", "unexpected end of file, expecting \";\" or \"}\"", 2),
                Arguments.of("a \"b;\n", "unexpected end of file, expecting \";\" or \"}\"", 2),
                Arguments.of("a 'b", "unexpected end of file, expecting \";\" or \"}\"", 1),
                Arguments.of("a \\", "unexpected end of file, expecting \";\" or \"}\"", 1),
                Arguments.of("a \"b\"", "unexpected end of file, expecting \";\" or \"}\"", 1),
                Arguments.of("a {\n b;\n", "unexpected end of file, expecting \"}\"", 3),
                Arguments.of("a {\n b {\n }", "unexpected end of file, expecting \"}\"", 3),
                Arguments.of("a;\n}", "unexpected \"}\"", 2),
                Arguments.of("a {}\n}", "unexpected \"}\"", 2),
                Arguments.of("a {\n b }", "unexpected \"}\"", 2),
                Arguments.of("\n{ b; }", "unexpected \"{\"", 2),
                Arguments.of("a;\n;", "unexpected \";\"", 2),
                Arguments.of(";", "unexpected \";\"", 1),
                Arguments.of("a \"b\"c;", "unexpected \"c\"", 1),
                Arguments.of("a 'b'\"c\";", "unexpected \"\"\"", 1),
                Arguments.of("a\n \"b\"#;", "unexpected \"#\"", 2),
                Arguments.of("include;", "invalid number of arguments in \"include\" directive", 1),
                Arguments.of("\ninclude a b;", "invalid number of arguments in \"include\" directive", 2),
                Arguments.of("include a {}", "directive \"include\" is not terminated by \";\"", 1));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidConfiguration(String source, String reason, int line) throws Exception {
        Path main = write("nginx.conf", source);

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.file()).isEqualTo(main.toString());
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).isEqualTo(reason + " in " + main + ":" + line);
                });
    }

    @Test
    void missingMainFileHasNoPosition() {
        Path main = dir.resolve("absent.conf");

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> {
                    assertThat(e.getMessage())
                            .isEqualTo("open() \"" + main + "\" failed (2: No such file or directory)");
                    assertThat(e.file()).isNull();
                });
    }

    @Test
    void includeIsExpandedInPlaceInsideBlocks() throws Exception {
        write("conf.d/upstream.conf", "upstream u {\n  server 127.0.0.1:81;\n}\n");
        write("locations.conf", "location /a { return 200; }\nlocation /b { return 201; }\n");
        Path main = write("nginx.conf", String.join("\n",
                "http {",
                "  include conf.d/upstream.conf;",
                "  server {",
                "    include locations.conf;",
                "    listen 80;",
                "  }",
                "}"));

        List<ConfDirective> tree = ConfParser.parse(main);

        assertThat(render(tree)).isEqualTo("1:http {1:upstream [u] {2:server [127.0.0.1:81]}; 3:server {"
                + "1:location [/a] {1:return [200]}; 2:location [/b] {2:return [201]}; 5:listen [80]}}");
        ConfDirective http = tree.get(0);
        assertThat(http.file()).isEqualTo(main.toString());
        assertThat(http.block().get(0).file()).isEqualTo(dir.resolve("conf.d/upstream.conf").toString());
        assertThat(http.block().get(1).block().get(0).file()).isEqualTo(dir.resolve("locations.conf").toString());
        assertThat(http.block().get(1).block().get(2).file()).isEqualTo(main.toString());
    }

    @Test
    void globExpandsToSortedRegularFiles() throws Exception {
        write("sites/b.conf", "b;");
        write("sites/a.conf", "a;");
        write("sites/c.conf.bak", "bak;");
        write("sites/.hidden.conf", "hidden;");
        write("sites/a2.conf", "a2;");
        Files.createDirectories(dir.resolve("sites/d.conf"));
        Path main = write("nginx.conf", "include sites/*.conf;\nlast;");

        List<ConfDirective> tree = ConfParser.parse(main);

        assertThat(render(tree)).isEqualTo("1:a; 1:a2; 1:b; 2:last");
    }

    @Test
    void globSupportsQuestionMarkBracketsAndDirectories() throws Exception {
        write("v1/x.conf", "v1;");
        write("v2/x.conf", "v2;");
        write("v3/x.conf", "v3;");
        write("vx/x.conf", "vx;");
        Path main = write("nginx.conf", "include v[12]/x.conf;\ninclude v[!12x]/?.conf;");

        assertThat(render(ConfParser.parse(main))).isEqualTo("1:v1; 1:v2; 1:v3");
    }

    @Test
    void globMatchingNothingIsAllowed() throws Exception {
        Path main = write("nginx.conf", "include none/*.conf;\nok;");

        assertThat(render(ConfParser.parse(main))).isEqualTo("2:ok");
    }

    @Test
    void relativeIncludesResolveAgainstTheMainFileDirectory() throws Exception {
        // conf.d/outer.conf includes "snippets/inner.conf": that is <main dir>/snippets, not conf.d/snippets
        write("conf.d/outer.conf", "outer;\ninclude snippets/*.conf;");
        write("snippets/inner.conf", "inner;");
        write("conf.d/snippets/inner.conf", "wrong;");
        Path main = write("nginx.conf", "include conf.d/outer.conf;");

        List<ConfDirective> tree = ConfParser.parse(main);

        assertThat(render(tree)).isEqualTo("1:outer; 1:inner");
        assertThat(tree.get(1).file()).isEqualTo(dir.resolve("snippets/inner.conf").toString());
    }

    @Test
    void absoluteIncludePath() throws Exception {
        Path other = write("elsewhere/x.conf", "x;");
        Path main = write("main/nginx.conf", "include " + other + ";");

        assertThat(render(ConfParser.parse(main))).isEqualTo("1:x");
    }

    @Test
    void missingIncludeIsReportedAtTheIncludeDirective() throws Exception {
        Path main = write("nginx.conf", "http {\n  include missing.conf;\n}");

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "open() \"" + dir.resolve("missing.conf") + "\" failed (2: No such file or directory) in "
                                + main + ":2"));
    }

    @Test
    void errorsInsideAnIncludedFileNameThatFile() throws Exception {
        Path inner = write("inner.conf", "ok;\nbroken \"x\"y;");
        Path main = write("nginx.conf", "include inner.conf;");

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("unexpected \"y\" in " + inner + ":2"));
    }

    @Test
    void includedFileCannotCloseTheIncludingBlock() throws Exception {
        Path inner = write("inner.conf", "a;\n}");
        Path main = write("nginx.conf", "http {\ninclude inner.conf;\n");

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("unexpected \"}\" in " + inner + ":2"));
    }

    @Test
    void blockOpenedInAnIncludedFileMustCloseThere() throws Exception {
        Path inner = write("inner.conf", "server {\n");
        Path main = write("nginx.conf", "include inner.conf;\n}");

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("unexpected end of file, expecting \"}\" in " + inner + ":2"));
    }

    @Test
    void includeCycleStopsAtTheDepthLimit() throws Exception {
        Path loop = write("loop.conf", "x;\ninclude loop.conf;");
        Path main = write("nginx.conf", "include loop.conf;");

        assertThatThrownBy(() -> ConfParser.parse(main))
                .isInstanceOfSatisfying(ConfException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("include depth limit exceeded in " + loop + ":2"));
    }

    @Test
    void includeNestingBelowTheLimitIsFine() throws Exception {
        for (int i = 1; i < ConfParser.MAX_INCLUDE_DEPTH; i++) {
            write("f" + i + ".conf", "include f" + (i + 1) + ".conf;");
        }
        write("f" + ConfParser.MAX_INCLUDE_DEPTH + ".conf", "deepest;");
        Path main = write("nginx.conf", "include f1.conf;");

        assertThat(render(ConfParser.parse(main))).isEqualTo("1:deepest");
    }

    /** A glob with a reversed range matches nothing, as in nginx, instead of failing (found by fuzzing). */
    @Test
    void globWithAReversedRangeMatchesNothing() throws Exception {
        write("b.conf", "b;");
        Path main = write("nginx.conf", "include [z-a].conf;\ninclude [$-\\n];\na;");
        assertThat(render(ConfParser.parse(main))).isEqualTo("3:a");
    }

    /** Blocks nested past the limit stop the parse with a message, not with a stack overflow (found by fuzzing). */
    @Test
    void blockNestingStopsAtTheLimit() throws Exception {
        Path deep = write("deep.conf", "a {\n".repeat(ConfParser.MAX_BLOCK_NESTING) + "b {\n" + "a {".repeat(100_000));
        assertThatThrownBy(() -> ConfParser.parse(deep))
                .isInstanceOfSatisfying(ConfException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("blocks nested deeper than " + ConfParser.MAX_BLOCK_NESTING + " levels in " + deep
                                + ":" + (ConfParser.MAX_BLOCK_NESTING + 1)));

        Path limit = write("limit.conf", "a {".repeat(ConfParser.MAX_BLOCK_NESTING) + "b;"
                + "}".repeat(ConfParser.MAX_BLOCK_NESTING));
        assertThat(ConfParser.parse(limit)).hasSize(1);
    }

    @Test
    void mainFilePathIsNormalised() throws Exception {
        write("nginx.conf", "a;");
        Path messy = dir.resolve("sub/../nginx.conf");

        List<ConfDirective> tree = ConfParser.parse(messy);

        assertThat(tree.get(0).file()).isEqualTo(dir.resolve("nginx.conf").toString());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static String render(List<ConfDirective> directives) {
        return directives.stream().map(ConfParserTest::render).collect(Collectors.joining("; "));
    }

    private static String render(ConfDirective directive) {
        StringBuilder out = new StringBuilder().append(directive.line()).append(':').append(directive.name());
        for (String arg : directive.args()) {
            out.append(" [").append(arg).append(']');
        }
        if (directive.isBlock()) {
            out.append(" {").append(render(directive.block())).append('}');
        }
        return out.toString();
    }

    private static List<String> files(List<ConfDirective> directives) {
        return directives.stream()
                .flatMap(d -> Stream.concat(Stream.of(d.file()),
                        d.isBlock() ? files(d.block()).stream() : Stream.empty()))
                .collect(Collectors.toList());
    }
}
