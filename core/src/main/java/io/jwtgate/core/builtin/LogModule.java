package io.jwtgate.core.builtin;

import io.jwtgate.core.codec.SyslogPeer;
import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * {@code log_format} and {@code access_log}, from nginx's log module (docs/configuration.md#access_log). Lines are
 * formatted on the event loop (the variables live there) and written by a background thread per file, which holds
 * {@code buffer=}, {@code flush=} and {@code gzip} ({@link LogFile}).
 *
 * <p><b>Differs from nginx:</b> without any {@code access_log} directive nothing is logged (nginx writes
 * {@code logs/access.log} under its prefix); a path with variables is refused.
 */
public final class LogModule extends HttpModule {

    static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    /** nginx's buffer for {@code gzip} without {@code buffer=}. */
    static final int GZIP_BUFFER = 64 * 1024;
    /** The largest {@code buffer=}: one Java array (nginx takes any size its memory allows). */
    static final long MAX_BUFFER = 1L << 30;

    enum Escape { DEFAULT, JSON, NONE }

    /**
     * A {@code log_format}: the line and its escaping, and for each variable the width nginx reserves for it in a
     * buffer (its log module writes some variables itself, with a fixed maximum width), 0 for its value's length.
     */
    record Format(ComplexValue value, Escape escape, int[] widths) {
    }

    /** The variables nginx's log module writes itself, and the width it reserves for each (64-bit numbers). */
    private static final Map<String, Integer> FIXED_WIDTHS = Map.of("pipe", 1, "time_local", 26, "time_iso8601", 25,
            "msec", 24, "request_time", 24, "status", 20, "bytes_sent", 20, "body_bytes_sent", 20,
            "request_length", 20);

    /** One {@code access_log}: a file or a syslog server, a format and an optional condition. */
    record Target(AccessLogWriter writer, SyslogSender syslog, Format format, ComplexValue condition) {
    }

    static final class Main {
        final Map<String, Format> formats = new LinkedHashMap<>();
        final Map<Path, AccessLogWriter> writers = new LinkedHashMap<>();
        final List<SyslogSender> syslogs = new ArrayList<>();
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
                        Context.IF_LOCATION, Context.LIMIT_EXCEPT), Arity.ONE_OR_MORE, this::accessLog));
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
        m.formats.put(name, format(cx, d, cx.compile(d, text), escape));
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
        SyslogSender syslog = null;
        if (SyslogPeer.isSyslog(d.arg(0))) {
            try {
                syslog = new SyslogSender(SyslogPeer.parse(d.arg(0)));
            } catch (IllegalArgumentException e) {
                throw d.error(e.getMessage());
            }
        }
        String name = d.args().size() > 1 ? d.arg(1) : "combined";
        Format f = format(cx, m, name);
        if (f == null) {
            // nginx resolves the name here too: a log_format must come before the access_log that uses it
            throw d.error("unknown log format \"%s\"", name);
        }
        Params p = params(cx, d);
        if (syslog != null) {
            if (p.size() > 0) {
                throw d.error("logs to syslog cannot be buffered");
            }
            m.syslogs.add(syslog);
            draft.targets.add(new Target(null, syslog, f, p.condition()));
            return;
        }
        if (d.arg(0).indexOf('$') >= 0) {
            // nginx would open the file each request names (open_log_file_cache): not done here
            throw d.error("variables in the path of \"access_log\" are not supported");
        }
        AccessLogWriter w = writer(cx, d, m);
        if (p.size() > 0) {
            LogFile.Buffering b = new LogFile.Buffering(p.size(), p.flush(), p.gzip());
            if (w.buffering() != null && !w.buffering().equals(b)) {
                throw d.error("access_log \"%s\" already defined with conflicting parameters", d.arg(0));
            }
            // as in nginx, a file is buffered when any access_log to it is, and they all share its buffer
            w.buffering(b);
        }
        draft.targets.add(new Target(w, null, f, p.condition()));
    }

    /** {@code access_log}'s parameters after the format: {@code buffer=}, {@code flush=}, {@code gzip}, {@code if=}. */
    private record Params(int size, long flush, int gzip, ComplexValue condition) {
    }

    private static Params params(ConfContext cx, ConfDirective d) throws ConfException {
        int size = 0;
        long flush = 0;
        int gzip = 0;
        ComplexValue condition = null;
        for (int i = 2; i < d.args().size(); i++) {
            String a = d.arg(i);
            if (a.startsWith("buffer=")) {
                long n = ConfValues.bytes(a.substring(7));
                if (n <= 0 || n > MAX_BUFFER) {
                    throw d.error("invalid buffer size \"%s\"", a.substring(7));
                }
                size = (int) n;
            } else if (a.startsWith("flush=")) {
                flush = ConfValues.millis(a.substring(6));
                if (flush <= 0) {
                    throw d.error("invalid flush time \"%s\"", a.substring(6));
                }
            } else if (a.equals("gzip") || a.startsWith("gzip=")) {
                size = size == 0 ? GZIP_BUFFER : size;
                gzip = a.length() == 4 ? Deflater.BEST_SPEED : ConfValues.number(a.substring(5));
                if (gzip < 1 || gzip > 9) {
                    throw d.error("invalid compression level \"%s\"", a.substring(5));
                }
            } else if (a.startsWith("if=")) {
                condition = cx.compile(d, a.substring(3));
            } else {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        if (flush > 0 && size == 0) {
            throw d.error("no buffer is defined for access_log \"%s\"", d.arg(0));
        }
        return new Params(size, flush, gzip, condition);
    }

    /** The writer of {@code access_log}'s file, one per path, created with the file as nginx creates it. */
    private AccessLogWriter writer(ConfContext cx, ConfDirective d, Main m) throws ConfException {
        Path path = cx.resolvePath(d.arg(0));
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
        return w;
    }

    private static Format format(ConfContext cx, ConfDirective d, ComplexValue line, Escape escape) {
        int[] refs = line.references();
        int[] widths = new int[refs.length];
        FIXED_WIDTHS.forEach((name, width) -> {
            if (cx.variables().isDefined(name)) {
                int index = cx.variables().index(name, d);
                for (int i = 0; i < refs.length; i++) {
                    widths[i] = refs[i] == index ? width : widths[i];
                }
            }
        });
        return new Format(line, escape, widths);
    }

    /** The format {@code access_log} names: as in nginx, the first defined whose name matches, case ignored. */
    private static Format format(ConfContext cx, Main m, String name) throws ConfException {
        if (name.equalsIgnoreCase("combined") && !m.formats.containsKey("combined")) {
            m.formats.put("combined", format(cx, null, cx.variables().compile(COMBINED, null), Escape.DEFAULT));
        }
        for (Map.Entry<String, Format> e : m.formats.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public void postconfiguration(HttpInit init) {
        for (AccessLogWriter w : init.main(main).writers.values()) {
            init.addLifecycle(w);
        }
        for (SyslogSender s : init.main(main).syslogs) {
            init.addLifecycle(s);
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
            int[] variable = {0};
            int[] reserve = {0};
            f.value().appendTo(sb, x, (b, v) -> {
                int start = b.length();
                escape(b, v, f.escape());
                int width = f.widths()[variable[0]++];
                reserve[0] += width == 0 ? 0 : width - (b.length() - start);
            });
            if (t.syslog() != null) {
                t.syslog().send(sb.toString());
            } else {
                t.writer().write(sb.toString(), reserve[0]);
            }
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
                    case '\b':
                        sb.append("\\b");
                        break;
                    case '\f':
                        sb.append("\\f");
                        break;
                    default:
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04X", (int) c)); // nginx's upper-case hex
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
