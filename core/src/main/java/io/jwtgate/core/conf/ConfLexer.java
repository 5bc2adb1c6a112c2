package io.jwtgate.core.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one configuration file into statements, the way nginx's {@code ngx_conf_read_token} does: each call to
 * {@link #next()} returns the words of one directive together with what ended it ({@code ;}, {@code {}, {@code }} or
 * the end of the file). Only the syntax is checked here; {@link ConfParser} matches the blocks and expands includes.
 */
final class ConfLexer {

    /** What ended a statement. */
    enum End {
        /** {@code ;}: a simple directive. */
        SEMICOLON,
        /** {@code {}: the words are a block directive, its contents follow. */
        BLOCK_START,
        /** {@code }}: the enclosing block is closed; there are no words. */
        BLOCK_END,
        /** The end of the file; there are no words. */
        FILE_END
    }

    /**
     * One statement.
     *
     * @param words the directive name and its arguments, unquoted and unescaped
     * @param line the line of the first word (for {@link End#BLOCK_END} and {@link End#FILE_END}, the current line)
     * @param end what ended it
     */
    record Statement(List<String> words, int line, End end) {
    }

    private final String text;
    private final String file;
    private int pos;
    private int line = 1;

    ConfLexer(String text, String file) {
        this.text = text;
        this.file = file;
    }

    /** The file name used in errors. */
    String file() {
        return file;
    }

    /** An error at the current line, as nginx reports every syntax error. */
    ConfException error(String reason) {
        return new ConfException(reason, file, line);
    }

    /** Reads the next statement. */
    Statement next() throws ConfException {
        List<String> words = new ArrayList<>();
        int firstLine = line;
        int start = pos;
        boolean lastSpace = true;
        boolean needSpace = false;
        boolean comment = false;
        boolean escaped = false;
        boolean variable = false;
        boolean singleQuoted = false;
        boolean doubleQuoted = false;

        for (;;) {
            if (pos >= text.length()) {
                // a word that has started but not ended counts as an unfinished directive, as in nginx
                if (!words.isEmpty() || !lastSpace) {
                    throw error("unexpected end of file, expecting \";\" or \"}\"");
                }
                return new Statement(words, line, End.FILE_END);
            }

            char ch = text.charAt(pos++);

            if (ch == '\n') {
                line++;
                comment = false;
            }
            if (comment) {
                continue;
            }
            if (escaped) {
                escaped = false;
                continue;
            }

            if (needSpace) {
                if (isSpace(ch)) {
                    lastSpace = true;
                    needSpace = false;
                    continue;
                }
                if (ch == ';') {
                    return new Statement(words, firstLine, End.SEMICOLON);
                }
                if (ch == '{') {
                    return new Statement(words, firstLine, End.BLOCK_START);
                }
                if (ch != ')') {
                    throw error("unexpected \"" + ch + "\"");
                }
                // nginx lets ")" follow a quoted word directly, for if ("$a" = "b"); it starts a new word
                lastSpace = true;
                needSpace = false;
            }

            if (lastSpace) {
                if (isSpace(ch)) {
                    continue;
                }
                start = pos - 1;
                if (words.isEmpty()) {
                    firstLine = line;
                }
                switch (ch) {
                    case ';':
                    case '{':
                        if (words.isEmpty()) {
                            throw error("unexpected \"" + ch + "\"");
                        }
                        return new Statement(words, firstLine, ch == '{' ? End.BLOCK_START : End.SEMICOLON);
                    case '}':
                        if (!words.isEmpty()) {
                            throw error("unexpected \"}\"");
                        }
                        return new Statement(words, line, End.BLOCK_END);
                    case '#':
                        comment = true;
                        continue;
                    case '\\':
                        escaped = true;
                        lastSpace = false;
                        continue;
                    case '"':
                        start++;
                        doubleQuoted = true;
                        lastSpace = false;
                        continue;
                    case '\'':
                        start++;
                        singleQuoted = true;
                        lastSpace = false;
                        continue;
                    case '$':
                        variable = true;
                        lastSpace = false;
                        continue;
                    default:
                        lastSpace = false;
                        continue;
                }
            }

            // inside a word
            if (ch == '{' && variable) {
                // "${name}": the brace belongs to the variable, it does not open a block
                continue;
            }
            variable = false;
            if (ch == '\\') {
                escaped = true;
                continue;
            }
            if (ch == '$') {
                variable = true;
                continue;
            }

            boolean found = false;
            if (doubleQuoted) {
                if (ch == '"') {
                    doubleQuoted = false;
                    needSpace = true;
                    found = true;
                }
            } else if (singleQuoted) {
                if (ch == '\'') {
                    singleQuoted = false;
                    needSpace = true;
                    found = true;
                }
            } else if (isSpace(ch) || ch == ';' || ch == '{') {
                lastSpace = true;
                found = true;
            }

            if (found) {
                words.add(unescape(start, pos - 1));
                if (ch == ';') {
                    return new Statement(words, firstLine, End.SEMICOLON);
                }
                if (ch == '{') {
                    return new Statement(words, firstLine, End.BLOCK_START);
                }
            }
        }
    }

    private static boolean isSpace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    }

    /**
     * Copies {@code text[from, to)} translating nginx's six escapes. Any other backslash pair is kept whole so that
     * regular expressions such as {@code \.php$} reach the module unchanged.
     */
    private String unescape(int from, int to) {
        int backslash = text.indexOf('\\', from);
        if (backslash < 0 || backslash >= to) {
            return text.substring(from, to);
        }
        StringBuilder word = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char ch = text.charAt(i);
            if (ch == '\\' && i + 1 < to) {
                char next = text.charAt(i + 1);
                switch (next) {
                    case '"', '\'', '\\' -> {
                        word.append(next);
                        i += 2;
                        continue;
                    }
                    case 't' -> {
                        word.append('\t');
                        i += 2;
                        continue;
                    }
                    case 'r' -> {
                        word.append('\r');
                        i += 2;
                        continue;
                    }
                    case 'n' -> {
                        word.append('\n');
                        i += 2;
                        continue;
                    }
                    default -> {
                        // kept as the two characters
                    }
                }
            }
            word.append(ch);
            i++;
        }
        return word.toString();
    }
}
