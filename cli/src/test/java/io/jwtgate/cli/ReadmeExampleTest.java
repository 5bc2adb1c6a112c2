package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration passes {@code -t} without a warning or notice; a short secret draws one plain warning. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void readmeConfigurationTestsWithoutWarnings() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```nginx\nworker_processes");
        assertThat(start).as("the README's first configuration").isNotNegative();
        String conf = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 8))
                .replace("pid jwtgate.pid;", "");
        Path f = dir.resolve("nginx.conf");
        Files.writeString(f, conf);
        MainTest.Result r = MainTest.run("-t", "-c", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("[warn]").doesNotContain("[notice]").contains("test is successful");
    }

    @Test
    void shortSecretWarnsOnceInPlainWords() throws Exception {
        Path f = dir.resolve("nginx.conf");
        Files.writeString(f, "http {\n    jwt_secret \"sixteen-byte-key\";\n}\n");
        MainTest.Result r = MainTest.run("-t", "-c", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).startsWith("[warn] jwt_secret: HMAC secret of 16 bytes is shorter than the HS256 hash "
                + "output (32 bytes) in " + f + ":2\n");
    }
}
