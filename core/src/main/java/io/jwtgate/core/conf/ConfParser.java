package io.jwtgate.core.conf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads nginx configuration syntax into a tree of {@link ConfDirective}s, expanding {@code include}.
 *
 * <p>Files are read as UTF-8. Every {@link ConfDirective#file()} is the absolute, normalised path of the file the
 * directive was read from. Syntax errors carry nginx's messages and the line nginx reports: the current line for
 * tokenizer errors, the line of the directive's first word for directives.
 */
public final class ConfParser {

    /** Deep enough for any real layout, shallow enough that an include cycle fails fast instead of overflowing. */
    static final int MAX_INCLUDE_DEPTH = 32;

    /**
     * Blocks nest at most this deep, included files counted where they are included: nginx has no limit but its
     * stack, and checks each block's directive before reading its contents, which this parser reads first
     * (docs/configuration.md#syntax-limits).
     */
    static final int MAX_BLOCK_NESTING = 100;

    private static final String INCLUDE = "include";
    private static final String MIME_TYPES = "mime.types";

    private final Path prefix;
    /** Blocks open around the statement being read. */
    private int nesting;

    private ConfParser(Path prefix) {
        this.prefix = prefix;
    }

    /**
     * Parses the main configuration file. {@code include} globs are resolved against the directory of
     * {@code mainFile} and expanded in place, in sorted order of file names.
     */
    public static List<ConfDirective> parse(Path mainFile) throws ConfException {
        Path main = mainFile.toAbsolutePath().normalize();
        Path dir = main.getParent() != null ? main.getParent() : main;
        return new ConfParser(dir).parseFile(main, null, 0);
    }

    private List<ConfDirective> parseFile(Path file, ConfDirective include, int depth) throws ConfException {
        String name = file.toString();
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw openError(include, "open() \"" + name + "\" failed (2: No such file or directory)");
        } catch (AccessDeniedException e) {
            throw openError(include, "open() \"" + name + "\" failed (13: Permission denied)");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw openError(include, "pread() \"" + name + "\" failed (21: Is a directory)");
            }
            throw openError(include, "open() \"" + name + "\" failed (" + e.getMessage() + ")");
        }
        return parseBlock(new ConfLexer(text, name), false, depth);
    }

    private static ConfException openError(ConfDirective include, String reason) {
        return include == null ? new ConfException(reason) : include.error(reason);
    }

    /** Reads directives up to the {@code }} closing the block ({@code inBlock}) or to the end of the file. */
    private List<ConfDirective> parseBlock(ConfLexer lexer, boolean inBlock, int depth) throws ConfException {
        List<ConfDirective> directives = new ArrayList<>();
        for (;;) {
            ConfLexer.Statement statement = lexer.next();
            switch (statement.end()) {
                case BLOCK_END -> {
                    // an included file cannot close a block opened by the file that includes it, as in nginx
                    if (!inBlock) {
                        throw lexer.error("unexpected \"}\"");
                    }
                    return directives;
                }
                case FILE_END -> {
                    if (inBlock) {
                        throw lexer.error("unexpected end of file, expecting \"}\"");
                    }
                    return directives;
                }
                case SEMICOLON, BLOCK_START -> {
                    List<String> words = statement.words();
                    String name = words.get(0);
                    List<String> args = words.subList(1, words.size());
                    boolean block = statement.end() == ConfLexer.End.BLOCK_START;
                    if (name.equals(INCLUDE)) {
                        ConfDirective include = new ConfDirective(name, args, null, lexer.file(), statement.line());
                        if (block) {
                            throw include.error("directive \"include\" is not terminated by \";\"");
                        }
                        directives.addAll(include(include, depth));
                    } else {
                        List<ConfDirective> children = block ? parseNested(lexer, statement, depth) : null;
                        directives.add(new ConfDirective(name, args, children, lexer.file(), statement.line()));
                    }
                }
                default -> throw new AssertionError(statement.end());
            }
        }
    }

    private List<ConfDirective> parseNested(ConfLexer lexer, ConfLexer.Statement opening, int depth)
            throws ConfException {
        if (nesting == MAX_BLOCK_NESTING) {
            throw new ConfException("blocks nested deeper than " + MAX_BLOCK_NESTING + " levels", lexer.file(),
                    opening.line());
        }
        nesting++;
        List<ConfDirective> block = parseBlock(lexer, true, depth);
        nesting--;
        return block;
    }

    private List<ConfDirective> include(ConfDirective include, int depth) throws ConfException {
        if (include.args().size() != 1) {
            throw include.error("invalid number of arguments in \"include\" directive");
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw include.error("include depth limit exceeded");
        }
        String target = include.arg(0);
        if (target.indexOf('\0') >= 0) {
            throw include.error("NUL character in a path of the \"include\" directive");
        }
        Path path = prefix.resolve(target).normalize();
        if (!isGlob(target)) {
            if (path.getFileName() != null && path.getFileName().toString().equals(MIME_TYPES)
                    && !Files.exists(path)) {
                return parseBuiltInMimeTypes(path, depth + 1);
            }
            return parseFile(path, include, depth + 1);
        }
        List<ConfDirective> directives = new ArrayList<>();
        for (Path file : Glob.expand(path)) {
            directives.addAll(parseFile(file, include, depth + 1));
        }
        return directives;
    }

    /**
     * {@code include mime.types} (or {@code .../mime.types}) where no such file exists: the copy of nginx 1.22's
     * {@code conf/mime.types} built into jwtgate, so that a configuration written for a stock install runs without
     * {@code /etc/nginx} (docs/static.md#mime-types). Its directives are located at the path that was looked for.
     */
    private List<ConfDirective> parseBuiltInMimeTypes(Path path, int depth) throws ConfException {
        try (InputStream in = ConfParser.class.getResourceAsStream(MIME_TYPES)) {
            if (in == null) {
                throw new IllegalStateException("jwtgate is missing its built-in " + MIME_TYPES);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parseBlock(new ConfLexer(text, path.toString()), false, depth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nginx decides with {@code strpbrk(name, "*?[")}; a glob that matches nothing is not an error. */
    private static boolean isGlob(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    /** POSIX {@code glob(3)} over an absolute path, as nginx's {@code ngx_open_glob} uses it. */
    private static final class Glob {

        private Glob() {
        }

        /** Regular files matching {@code pattern}, sorted by path; an unreadable directory matches nothing. */
        static List<Path> expand(Path pattern) throws ConfException {
            List<Path> current = new ArrayList<>();
            current.add(pattern.getRoot());
            for (Path component : pattern.getRoot().relativize(pattern)) {
                String part = component.toString();
                List<Path> next = new ArrayList<>();
                if (!isGlob(part)) {
                    for (Path dir : current) {
                        next.add(dir.resolve(part));
                    }
                } else {
                    Pattern regex;
                    try {
                        regex = toRegex(part);
                    } catch (PatternSyntaxException e) {
                        return List.of(); // a range no name is in, such as [z-a]: nothing matches, as in nginx
                    }
                    for (Path dir : current) {
                        addMatches(dir, part, regex, next);
                    }
                }
                current = next;
            }
            List<Path> files = new ArrayList<>();
            for (Path path : current) {
                if (Files.isRegularFile(path)) {
                    files.add(path);
                }
            }
            files.sort((a, b) -> a.toString().compareTo(b.toString()));
            return files;
        }

        private static void addMatches(Path dir, String part, Pattern regex, List<Path> into) {
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    // as in glob(3), a leading dot must be matched literally
                    if (name.startsWith(".") && !part.startsWith(".")) {
                        continue;
                    }
                    if (regex.matcher(name).matches()) {
                        into.add(entry);
                    }
                }
            } catch (IOException e) {
                // glob(3) skips directories it cannot read (no GLOB_ERR), and so does nginx
            }
        }

        /**
         * Translates one path component: {@code *}, {@code ?}, {@code [...]} with {@code !} or {@code ^}, backslash.
         */
        static Pattern toRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            int i = 0;
            while (i < glob.length()) {
                char ch = glob.charAt(i);
                if (ch == '*') {
                    regex.append(".*");
                    i++;
                } else if (ch == '?') {
                    regex.append('.');
                    i++;
                } else if (ch == '\\' && i + 1 < glob.length()) {
                    appendLiteral(regex, glob.charAt(i + 1));
                    i += 2;
                } else if (ch == '[') {
                    int end = bracketEnd(glob, i);
                    if (end < 0) {
                        appendLiteral(regex, ch);
                        i++;
                    } else {
                        appendBracket(regex, glob, i + 1, end);
                        i = end + 1;
                    }
                } else {
                    appendLiteral(regex, ch);
                    i++;
                }
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }

        /** Index of the {@code ]} closing the bracket expression at {@code open}, or -1 when it is not closed. */
        private static int bracketEnd(String glob, int open) {
            int i = open + 1;
            if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
                i++;
            }
            if (i < glob.length() && glob.charAt(i) == ']') {
                i++;
            }
            return glob.indexOf(']', i);
        }

        private static void appendBracket(StringBuilder regex, String glob, int from, int to) {
            regex.append('[');
            int i = from;
            if (glob.charAt(i) == '!' || glob.charAt(i) == '^') {
                regex.append('^');
                i++;
            }
            while (i < to) {
                char ch = glob.charAt(i);
                if (i + 2 < to && glob.charAt(i + 1) == '-') {
                    appendClassChar(regex, ch);
                    regex.append('-');
                    appendClassChar(regex, glob.charAt(i + 2));
                    i += 3;
                } else {
                    appendClassChar(regex, ch);
                    i++;
                }
            }
            regex.append(']');
        }

        private static void appendClassChar(StringBuilder regex, char ch) {
            regex.append(String.format("\\x{%x}", (int) ch));
        }

        private static void appendLiteral(StringBuilder regex, char ch) {
            if (Character.isLetterOrDigit(ch)) {
                regex.append(ch);
            } else {
                appendClassChar(regex, ch);
            }
        }
    }
}
