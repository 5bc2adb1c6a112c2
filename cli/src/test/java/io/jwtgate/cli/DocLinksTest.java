package io.jwtgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every link of README.md and docs/*.md, and every page of docs/ (with its anchor) a source comment cites, names a
 * file that exists and a heading it has (GitHub's anchors), since nobody keeps these by hand.
 */
class DocLinksTest {

    private static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern SOURCE_REF = Pattern.compile("\\b((?:docs/)?[A-Za-z0-9_-]+\\.md)(#[A-Za-z0-9_-]+)?");

    private final Path root = repositoryRoot();
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void markdownLinksResolve() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            boolean fenced = false;
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                fenced ^= lines.get(i).startsWith("```");
                if (fenced) {
                    continue;
                }
                Matcher m = MD_LINK.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    links++;
                    String problem = problem(page.getParent(), page, target);
                    if (problem != null) {
                        broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target + ": " + problem);
                    }
                }
            }
        }
        assertThat(links).isGreaterThan(20);
        assertThat(broken).isEmpty();
    }

    @Test
    void documentsCitedInSourcesExist() throws IOException {
        List<String> broken = new ArrayList<>();
        int refs = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/")
                    && !p.toString().contains("/.")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = SOURCE_REF.matcher(lines.get(i));
                    while (m.find()) {
                        String file = m.group(1);
                        if (!file.startsWith("docs/") && !file.equals("README.md")) {
                            continue; // a name such as "jwt.md" alone is not a pointer
                        }
                        refs++;
                        String target = file + (m.group(2) == null ? "" : m.group(2));
                        String problem = problem(root, f, target);
                        if (problem != null) {
                            broken.add(root.relativize(f) + ":" + (i + 1) + ": " + target + ": " + problem);
                        }
                    }
                }
            }
        }
        assertThat(refs).isGreaterThan(10);
        assertThat(broken).isEmpty();
    }

    /** Why {@code target} (file, {@code #anchor} or both, relative to {@code dir}) does not resolve, or null. */
    private String problem(Path dir, Path from, String target) throws IOException {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path path = file.isEmpty() ? from : dir.resolve(file).normalize();
        if (!Files.exists(path)) {
            return "no such file";
        }
        if (hash < 0) {
            return null;
        }
        if (!path.toString().endsWith(".md")) {
            return "an anchor into a file that is not markdown";
        }
        return anchorsOf(path).contains(target.substring(hash + 1)) ? null : "no such heading";
    }

    private Set<String> anchorsOf(Path page) throws IOException {
        Set<String> known = anchors.get(page);
        if (known == null) {
            known = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
                fenced ^= line.startsWith("```");
                if (!fenced && line.startsWith("#")) {
                    String slug = slug(line.replaceFirst("^#+\\s*", ""));
                    int n = seen.merge(slug, 1, Integer::sum);
                    known.add(n == 1 ? slug : slug + "-" + (n - 1));
                }
            }
            anchors.put(page, known);
        }
        return known;
    }

    /** GitHub's anchor for a heading: lower case, punctuation but {@code -} and {@code _} dropped, spaces to dashes. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository's root above the working directory").isNotNull();
        return p;
    }
}
