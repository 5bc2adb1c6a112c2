package io.jwtgate.staticfiles;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.var.ComplexValue;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code try_files file ... uri} or {@code try_files file ... =code}, read as nginx reads it: every name but the
 * last is a file to look for (a trailing {@code /} asks for a directory), the last a URI (a path with optional
 * arguments, or {@code @name}) or a status.
 *
 * @param files the names to try, in order
 * @param fallback the last argument when it is a URI, else {@code null}
 * @param code the status of a last {@code =code}, else 0
 */
record TryFiles(List<Name> files, ComplexValue fallback, int code) {

    /** A name to try; {@code directory} when it ended with {@code /}. */
    record Name(ComplexValue value, boolean directory) {
    }

    /** Mutable draft: {@code value} is {@code null} until the directive is read. */
    static final class Draft {
        TryFiles value;
    }

    static void read(ConfContext cx, ConfDirective d, Draft draft) throws ConfException {
        if (draft.value != null) {
            throw d.error("\"try_files\" directive is duplicate");
        }
        List<String> args = d.args();
        List<Name> files = new ArrayList<>();
        for (int i = 0; i < args.size() - 1; i++) {
            String name = args.get(i);
            boolean directory = name.endsWith("/");
            if (directory) {
                name = name.substring(0, name.length() - 1);
            }
            files.add(new Name(cx.compile(d, name), directory));
        }
        String last = args.get(args.size() - 1);
        if (last.startsWith("=")) {
            int code = digits(last.substring(1));
            if (code < 0 || code > 999) {
                throw d.error("invalid code \"%s\"", last);
            }
            draft.value = new TryFiles(List.copyOf(files), null, code);
        } else {
            draft.value = new TryFiles(List.copyOf(files), cx.compile(d, last), 0);
        }
    }

    /** A decimal number as nginx's {@code ngx_atoi} reads it, or -1; large values stop at 1000. */
    private static int digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = Math.min(1000, n * 10 + c - '0');
        }
        return n;
    }
}
