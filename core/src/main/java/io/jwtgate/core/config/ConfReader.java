package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfParser;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.LocationDraft;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.ModuleRegistry;
import io.jwtgate.core.var.Variables;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Walks the directive tree of one configuration load: checks every directive's name, context, block form and
 * argument count against the modules' tables (nginx's {@code ngx_conf_handler}) and calls its setter with this
 * object as the {@link ConfContext}.
 */
final class ConfReader implements ConfContext {

    private final ModuleRegistry registry;
    private final Map<String, List<Directive>> directives = new HashMap<>();
    private final Path baseDir;
    final Variables variables = new Variables();
    final Object[] mains;
    final List<GatewayConfig.Message> messages = new ArrayList<>();

    private final Deque<Context> contexts = new ArrayDeque<>();
    private final Deque<Object> states = new ArrayDeque<>();
    private final Deque<Level> levels = new ArrayDeque<>();

    ConfReader(ModuleRegistry registry, Path mainFile) {
        this.registry = registry;
        this.baseDir = mainFile.toAbsolutePath().getParent();
        this.mains = new Object[registry.mainSlots().size()];
        for (HttpModule m : registry.modules()) {
            for (Directive d : m.directives()) {
                List<Directive> same = directives.computeIfAbsent(d.name(), k -> new ArrayList<>());
                for (Directive other : same) {
                    if (!Collections.disjoint(other.contexts(), d.contexts())) {
                        // the first would always win: the second module's directive would be dead
                        throw new IllegalStateException("directive \"" + d.name() + "\" of module " + m.name()
                                + " is already defined in the same context");
                    }
                }
                same.add(d);
            }
        }
    }

    void read(List<ConfDirective> tree) throws ConfException {
        for (HttpModule m : registry.modules()) {
            m.preconfiguration(variables);
        }
        contexts.push(Context.MAIN);
        try {
            apply(tree);
        } finally {
            contexts.pop();
        }
    }

    static List<ConfDirective> parse(Path mainFile) throws ConfException {
        return ConfParser.parse(mainFile);
    }

    private void apply(List<ConfDirective> list) throws ConfException {
        Context ctx = contexts.peek();
        for (ConfDirective d : list) {
            List<Directive> candidates = directives.get(d.name());
            if (candidates == null) {
                throw new ConfException(ForeignDirectives.unknown(d.name()), d.file(), d.line());
            }
            Directive dir = null;
            for (Directive c : candidates) {
                if (c.contexts().contains(ctx)) {
                    dir = c;
                    break;
                }
            }
            if (dir == null) {
                throw d.error("\"%s\" directive is not allowed here", d.name());
            }
            if (dir.isBlock() && !d.isBlock()) {
                throw d.error("directive \"%s\" has no opening \"{\"", d.name());
            }
            if (!dir.isBlock() && d.isBlock()) {
                throw d.error("directive \"%s\" is not terminated by \";\"", d.name());
            }
            if (!dir.arity().accepts(d.args().size())) {
                throw d.error("invalid number of arguments in \"%s\" directive", d.name());
            }
            try {
                dir.setter().set(this, d);
            } catch (InvalidPathException e) {
                // the only path Linux refuses to make holds a NUL (docs/configuration.md#syntax-limits)
                throw d.error("NUL character in a path of the \"%s\" directive", d.name());
            }
        }
    }

    // ---- ConfContext

    @Override
    public Context context() {
        return contexts.peek();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <D> D loc(LocSlot<D, ?> slot) {
        Level level = levels.peek();
        if (level == null) {
            throw new IllegalStateException("no http, server or location block is open");
        }
        Object d = level.drafts[slot.index()];
        if (d == null) {
            d = slot.create();
            level.drafts[slot.index()] = d;
        }
        return (D) d;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <M> M main(MainSlot<M> slot) {
        Object m = mains[slot.index()];
        if (m == null) {
            m = slot.create();
            mains[slot.index()] = m;
        }
        return (M) m;
    }

    @Override
    public <B> B block(Class<B> type) {
        for (Object s : states) {
            if (type.isInstance(s)) {
                return type.cast(s);
            }
        }
        throw new IllegalStateException("no enclosing " + type.getSimpleName());
    }

    @Override
    public Supplier<LocationConf> parseIfBlock(ConfDirective d, Object state) throws ConfException {
        Context at = context();
        if (at == Context.SERVER) {
            // nginx's NGX_HTTP_SIF_CONF: only the rewrite module's directives, on the server's own configuration
            read(d, Context.IF_SERVER, state, null);
            return () -> null;
        }
        if (at != Context.LOCATION) {
            throw new IllegalStateException("an if block belongs in a server or a location, not in " + at);
        }
        Level location = levels.peek();
        Level pseudo = new Level(Context.IF_LOCATION, location, slotCount(), d);
        pseudo.pattern = location.pattern;
        location.ifBlocks.add(pseudo);
        read(d, Context.IF_LOCATION, state, pseudo);
        return () -> pseudo.conf;
    }

    @Override
    public void parseBlock(ConfDirective d, Context context, Object state) throws ConfException {
        read(d, context, state, state instanceof Level l ? l : null);
    }

    /** Applies the directives of {@code d}'s block in {@code context}; {@code level}, when given, receives drafts. */
    private void read(ConfDirective d, Context context, Object state, Level level) throws ConfException {
        contexts.push(context);
        states.push(state);
        if (level != null) {
            levels.push(level);
        }
        try {
            apply(d.block());
        } finally {
            if (level != null) {
                levels.pop();
            }
            states.pop();
            contexts.pop();
        }
    }

    /** The location being read; in an {@code if} of a location, its pseudo-location (named as the location). */
    @Override
    public LocationDraft location() {
        Level l = levels.peek();
        return l != null && (l.kind == Context.LOCATION || l.isPseudoLocation()) ? l : null;
    }

    /** The innermost http, server or location block. */
    Level level() {
        return levels.peek();
    }

    int slotCount() {
        return registry.locSlots().size();
    }

    @Override
    public Path resolvePath(String path) {
        return baseDir.resolve(path).normalize();
    }

    @Override
    public Variables variables() {
        return variables;
    }

    @Override
    public void warn(ConfDirective d, String message) {
        message(ErrorLogLevel.WARN, d, message);
    }

    @Override
    public void notice(ConfDirective d, String message) {
        message(ErrorLogLevel.NOTICE, d, message);
    }

    /** Adds a start-up message located at {@code d}: {@code <message> in <file>:<line>}. */
    void message(ErrorLogLevel level, ConfDirective d, String message) {
        messages.add(new GatewayConfig.Message(level, message + " in " + d.file() + ":" + d.line()));
    }
}
