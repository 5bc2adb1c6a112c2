package io.jwtgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfParser;
import io.jwtgate.testing.Fuzzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of the configuration lexer and parser, and of the core's directives behind them (docs/fuzzing.md): a
 * configuration either loads or stops with a {@link ConfException}, never another exception or a hang, and a parsed
 * tree written back out parses to the same tree.
 */
class ConfigFuzzTest {

    @TempDir
    Path dir;

    @Test
    void configurations() throws Exception {
        Path file = dir.resolve("nginx.conf");
        Path printed = dir.resolve("printed.conf");
        ConfigLoader loader = new ConfigLoader(CoreModules.create());
        Fuzzer.target(getClass(), "config")
                .dictionary("{", "}", ";", " ", "\n", "#", "\"", "'", "\\", "$", "${", "$1", "(", ")", "~", "~*", "^~",
                        "=", "@", "http", "server", "location", "if", "listen", "return", "include", "*", "[a-", "map",
                        "error_page", "add_header", "log_format", "set", "events", "1k", "10m", "65536", "-1", "on")
                .allocationLimit(length -> 64L * 1024 * 1024 + 4096L * length)
                .maxLength(16 * 1024)
                .run(input -> {
                    Files.write(file, input);
                    List<ConfDirective> tree;
                    try {
                        tree = ConfParser.parse(file);
                    } catch (ConfException e) {
                        return "syntax " + e.reason().replaceAll("\".*\"", "S").replaceAll("[0-9]+", "N");
                    }
                    // round trip: the tree written back out, every word quoted, reads as the same tree
                    Files.writeString(printed, print(tree), StandardCharsets.UTF_8);
                    assertThat(words(ConfParser.parse(printed))).isEqualTo(words(tree));
                    try {
                        loader.load(file);
                    } catch (ConfException e) {
                        return "invalid " + e.reason().replaceAll("\".*\"", "S").replaceAll("[0-9]+", "N");
                    }
                    return "loaded";
                });
    }

    private static String print(List<ConfDirective> tree) {
        StringBuilder sb = new StringBuilder();
        for (ConfDirective d : tree) {
            sb.append(quote(d.name()));
            for (String a : d.args()) {
                sb.append(' ').append(quote(a));
            }
            if (d.isBlock()) {
                sb.append(" {\n").append(print(d.block())).append("}\n");
            } else {
                sb.append(";\n");
            }
        }
        return sb.toString();
    }

    private static String quote(String word) {
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The tree without files and lines. */
    private static String words(List<ConfDirective> tree) {
        StringBuilder sb = new StringBuilder();
        for (ConfDirective d : tree) {
            sb.append(d.name()).append(d.args());
            if (d.isBlock()) {
                sb.append('{').append(words(d.block())).append('}');
            }
            sb.append(';');
        }
        return sb.toString();
    }
}
