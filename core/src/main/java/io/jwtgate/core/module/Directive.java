package io.jwtgate.core.module;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.Context;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A directive a module owns: its name, where it may appear, how many arguments it takes, whether it opens a block,
 * and the setter that applies it. Directives are data, like nginx's {@code ngx_command_t}; the core does all the
 * checking that is common to every directive.
 */
public final class Directive {

    private final String name;
    private final Set<Context> contexts;
    private final Arity arity;
    private final boolean block;
    private final DirectiveSetter setter;

    private Directive(String name, Set<Context> contexts, Arity arity, boolean block, DirectiveSetter setter) {
        this.name = Objects.requireNonNull(name, "name");
        this.contexts = Set.copyOf(contexts);
        this.arity = Objects.requireNonNull(arity, "arity");
        this.block = block;
        this.setter = Objects.requireNonNull(setter, "setter");
    }

    /** A simple directive that ends with {@code ;}. */
    public static Directive of(String name, Set<Context> contexts, Arity arity, DirectiveSetter setter) {
        return new Directive(name, contexts, arity, false, setter);
    }

    /** A directive followed by a {@code { ... }} block, which its setter walks with {@code ConfContext.parseBlock}. */
    public static Directive block(String name, Set<Context> contexts, Arity arity, DirectiveSetter setter) {
        return new Directive(name, contexts, arity, true, setter);
    }

    /** The contexts of directives that nginx allows in http, server and location blocks. */
    public static Set<Context> httpServerLocation() {
        return EnumSet.of(Context.HTTP, Context.SERVER, Context.LOCATION);
    }

    /**
     * The contexts of directives that nginx allows in http, server and location blocks and in an {@code if} of a
     * location ({@code NGX_HTTP_LIF_CONF}: {@code add_header}, {@code access_log}, {@code proxy_pass}...).
     */
    public static Set<Context> httpServerLocationIf() {
        return EnumSet.of(Context.HTTP, Context.SERVER, Context.LOCATION, Context.IF_LOCATION);
    }

    public String name() {
        return name;
    }

    public Set<Context> contexts() {
        return contexts;
    }

    public Arity arity() {
        return arity;
    }

    public boolean isBlock() {
        return block;
    }

    public DirectiveSetter setter() {
        return setter;
    }
}
