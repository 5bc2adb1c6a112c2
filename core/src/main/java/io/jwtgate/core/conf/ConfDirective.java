package io.jwtgate.core.conf;

import java.util.List;

/**
 * One directive as read from a configuration file, before any module has looked at it: its name, its arguments
 * (quotes removed, nginx escapes applied, variables still unexpanded), its block when it has one, and where it came
 * from. {@code include} is already expanded by {@link ConfParser}, so a tree of these is the whole configuration.
 *
 * @param name the directive name
 * @param args the arguments, in order
 * @param block the directives inside {@code { ... }}, or {@code null} when the directive ends with {@code ;}
 * @param file the file the directive was read from, as it should appear in error messages
 * @param line the 1-based line of the directive name
 */
public record ConfDirective(String name, List<String> args, List<ConfDirective> block, String file, int line) {

    public ConfDirective {
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    public boolean isBlock() {
        return block != null;
    }

    public String arg(int index) {
        return args.get(index);
    }

    /** An error located at this directive. */
    public ConfException error(String message) {
        return new ConfException(message, file, line);
    }

    /** An error located at this directive, formatted with {@link String#format}. */
    public ConfException error(String format, Object... args) {
        return new ConfException(String.format(format, args), file, line);
    }
}
