package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.ComplexValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code log_format} and {@code access_log}, from nginx's log module. Lines are formatted on the event loop (the
 * variables live there) and written by a background thread per file.
 *
 * <p><b>Differs from nginx:</b> without any {@code access_log} directive nothing is logged (nginx writes
 * {@code logs/access.log} under its prefix); {@code buffer=}, {@code flush=} and {@code gzip} are rejected, since
 * every file is written through its own buffered thread anyway.
 */
public final class LogModule extends HttpModule {

    static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    enum Escape { DEFAULT, JSON, NONE }

    record Format(ComplexValue value, Escape escape) {
    }

    /** One {@code access_log}: a file, a format and an optional condition. */
    record Target(AccessLogWriter writer, Format format, ComplexValue condition) {
    }

    static final class Main {
        final Map<String, Format> formats = new HashMap<>();
        final Map<Path, AccessLogWriter> writers = new LinkedHashMap<>();
    }

    static final class Draft {
        boolean off;
        final List<Target> targets = new ArrayList<>();
    }

    final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));
    final LocSlot<Draft, Draft> conf = locSlot(LocSlot.of(Draft::new, (parent, d) ->
            !d.off && d.targets.isEmpty() && parent != null ? parent : d));

    public LogModule() {
        super("log");
    }

    @Override
    public List<Directive> directives() {
        return List.of(
                Directive.of("log_format", EnumSet.of(Context.HTTP), Arity.TWO_OR_MORE, this::logFormat),
                Directive.of("access_log", EnumSet.of(Context.HTTP, Context.SERVER, Context.LOCATION,
                        Context.IF_LOCATION, Context.LIMIT_EXCEPT), Arity.TAKE1234, this::accessLog));
    }

    private void logFormat(ConfContext cx, ConfDirective d) throws ConfException {
        Main m = cx.main(main);
        String name = d.arg(0);
        if (name.equals("combined") || m.formats.containsKey(name)) {
            throw d.error("duplicate \"log_format\" name \"%s\"", name);
        }
        int i = 1;
        Escape escape = Escape.DEFAULT;
        if (d.arg(1).startsWith("escape=")) {
            switch (d.arg(1).substring(7)) {
                case "default":
                    escape = Escape.DEFAULT;
                    break;
                case "json":
                    escape = Escape.JSON;
                    break;
                case "none":
                    escape = Escape.NONE;
                    break;
                default: throw d.error("unknown log format escaping \"%s\"", d.arg(1).substring(7));
            }
            i = 2;
            if (d.args().size() < 3) {
                throw d.error("invalid number of arguments in \"log_format\" directive");
            }
        }
        String text = String.join("", d.args().subList(i, d.args().size()));
        m.formats.put(name, new Format(cx.compile(d, text), escape));
    }

    private void accessLog(ConfContext cx, ConfDirective d) throws ConfException {
        Draft draft = cx.loc(conf);
        if (d.arg(0).equals("off")) {
            if (d.args().size() > 1) {
                throw d.error("invalid parameter \"%s\"", d.arg(1));
            }
            draft.off = true;
            return;
        }
        Main m = cx.main(main);
        Path path = cx.resolvePath(d.arg(0));
        String format = "combined";
        ComplexValue condition = null;
        for (int i = 1; i < d.args().size(); i++) {
            String a = d.arg(i);
            if (a.startsWith("if=")) {
                condition = cx.compile(d, a.substring(3));
            } else if (i == 1 && !a.contains("=")) {
                format = a;
            } else {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        Format f = format(cx, m, format);
        if (f == null) {
            // nginx resolves the name here too: a log_format must come before the access_log that uses it
            throw d.error("unknown log format \"%s\"", format);
        }
        AccessLogWriter w = m.writers.get(path);
        if (w == null) {
            try {
                Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            } catch (IOException e) {
                throw d.error("open() \"%s\" failed (%s)", path, Errno.describe(e));
            }
            w = new AccessLogWriter(path);
            m.writers.put(path, w);
        }
        draft.targets.add(new Target(w, f, condition));
    }

    private static Format format(ConfContext cx, Main m, String name) throws ConfException {
        if (name.equals("combined") && !m.formats.containsKey(name)) {
            m.formats.put(name, new Format(cx.variables().compile(COMBINED, null), Escape.DEFAULT));
        }
        return m.formats.get(name);
    }

    @Override
    public void postconfiguration(HttpInit init) {
        for (AccessLogWriter w : init.main(main).writers.values()) {
            init.addLifecycle(w);
        }
        init.addHandler(Phase.LOG, this::log);
    }

    private int log(HttpExchange x) {
        Draft d = x.conf(conf);
        if (d.off) {
            return PhaseHandler.OK;
        }
        for (Target t : d.targets) {
            if (t.condition() != null) {
                String c = t.condition().evaluate(x);
                if (c.isEmpty() || c.equals("0")) {
                    continue;
                }
            }
            Format f = t.format();
            StringBuilder sb = new StringBuilder(160);
            f.value().appendTo(sb, x, (b, v) -> escape(b, v, f.escape()));
            t.writer().write(sb.toString());
        }
        return PhaseHandler.OK;
    }

    /**
     * nginx's log escaping: {@code "}, {@code \} and bytes outside printable ASCII as {@code \xHH}; a variable not
     * found ({@code null}) as {@code -}, an empty value as nothing ({@code $remote_port} after realip took an address
     * without a port).
     */
    static void escape(StringBuilder sb, String v, Escape escape) {
        if (v == null) {
            if (escape != Escape.JSON) {
                sb.append('-');
            }
            return;
        }
        if (escape == Escape.NONE) {
            sb.append(v);
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (escape == Escape.JSON) {
                switch (c) {
                    case '"':
                        sb.append("\\\"");
                        break;
                    case '\\':
                        sb.append("\\\\");
                        break;
                    case '\n':
                        sb.append("\\n");
                        break;
                    case '\r':
                        sb.append("\\r");
                        break;
                    case '\t':
                        sb.append("\\t");
                        break;
                    default:
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                }
            } else if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                // nginx escapes bytes: a character's UTF-8, or the byte a WireText escape stands for
                String bytes = WireText.encode(Character.isHighSurrogate(c) && i + 1 < v.length()
                        ? v.substring(i, ++i + 1) : String.valueOf(c));
                for (int k = 0; k < bytes.length(); k++) {
                    sb.append(String.format("\\x%02X", (int) bytes.charAt(k)));
                }
            } else {
                sb.append(c);
            }
        }
    }
}
