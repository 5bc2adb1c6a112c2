package io.jwtgate.core.config;

import io.jwtgate.core.codec.SyslogPeer;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The main context: {@code worker_processes}, {@code pid}, {@code error_log}, {@code events} and the {@code http}
 * block itself (nginx's core, events and http modules' main-level directives).
 */
public final class MainModule extends HttpModule {

    static final class Draft {
        Integer workers;
        Integer workerConnections;
        Path pid;
        Path errorLog;
        SyslogPeer errorLogSyslog;
        String errorLogLevel;
        Long shutdownTimeoutMs;
        boolean events;
        Level http;
    }

    final MainSlot<Draft> main = mainSlot(MainSlot.of(Draft::new));

    public MainModule() {
        super("core");
    }

    @Override
    public List<Directive> directives() {
        Set<Context> mainCtx = EnumSet.of(Context.MAIN);
        return List.of(
                Directive.of("worker_processes", mainCtx, Arity.TAKE1, (cx, d) -> {
                    Draft m = cx.main(main);
                    Setters.checkUnset(d, m.workers);
                    if (d.arg(0).equals("auto")) {
                        m.workers = Runtime.getRuntime().availableProcessors();
                    } else {
                        int n = ConfValues.number(d.arg(0));
                        if (n <= 0) {
                            throw d.error("invalid value \"%s\" in \"worker_processes\" directive", d.arg(0));
                        }
                        m.workers = n;
                    }
                }),
                Directive.of("pid", mainCtx, Arity.TAKE1, (cx, d) -> {
                    Draft m = cx.main(main);
                    Setters.checkUnset(d, m.pid);
                    m.pid = cx.resolvePath(d.arg(0));
                }),
                Directive.of("error_log", mainCtx, Arity.TAKE12, (cx, d) -> {
                    Draft m = cx.main(main);
                    Setters.checkUnset(d, m.errorLogLevel);
                    String level = d.args().size() > 1 ? d.arg(1) : "error";
                    if (ErrorLogLevel.named(level) == null) {
                        throw d.error("invalid log level \"%s\"", level);
                    }
                    String file = d.arg(0);
                    if (SyslogPeer.isSyslog(file)) {
                        try {
                            m.errorLogSyslog = SyslogPeer.parse(file);
                        } catch (IllegalArgumentException e) {
                            throw d.error(e.getMessage());
                        }
                    } else {
                        m.errorLog = file.equals("stderr") ? null : cx.resolvePath(file);
                    }
                    m.errorLogLevel = level;
                }),
                Directive.block("events", mainCtx, Arity.NONE, (cx, d) -> {
                    Draft m = cx.main(main);
                    if (m.events) {
                        throw d.error("\"events\" directive is duplicate");
                    }
                    m.events = true;
                    cx.parseBlock(d, Context.EVENTS, m);
                }),
                Directive.of("worker_shutdown_timeout", mainCtx, Arity.TAKE1, (cx, d) -> {
                    Draft m = cx.main(main);
                    Setters.checkUnset(d, m.shutdownTimeoutMs);
                    m.shutdownTimeoutMs = Setters.millis(d, d.arg(0));
                }),
                Directive.of("worker_connections", EnumSet.of(Context.EVENTS), Arity.TAKE1, (cx, d) -> {
                    Draft m = cx.main(main);
                    Setters.checkUnset(d, m.workerConnections);
                    int n = ConfValues.number(d.arg(0));
                    if (n <= 0) {
                        throw d.error("invalid number \"%s\"", d.arg(0));
                    }
                    m.workerConnections = n;
                }),
                Directive.block("http", mainCtx, Arity.NONE, (cx, d) -> {
                    Draft m = cx.main(main);
                    if (m.http != null) {
                        throw d.error("\"http\" directive is duplicate");
                    }
                    ConfReader r = (ConfReader) cx;
                    m.http = new Level(Context.HTTP, null, r.slotCount(), d);
                    cx.parseBlock(d, Context.HTTP, m.http);
                }));
    }

    MainConf resolve(Draft d) {
        return new MainConf(d.workers == null ? 1 : d.workers,
                d.workerConnections == null ? 512 : d.workerConnections,
                d.pid, d.errorLog, d.errorLogLevel == null ? "error" : d.errorLogLevel,
                d.shutdownTimeoutMs == null ? MainConf.DEFAULT_SHUTDOWN_TIMEOUT
                        : Duration.ofMillis(d.shutdownTimeoutMs), d.errorLogSyslog);
    }
}
