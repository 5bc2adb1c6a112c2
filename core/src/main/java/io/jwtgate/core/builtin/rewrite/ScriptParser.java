package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.route.NginxRegex;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variable;
import io.jwtgate.core.var.VariableGetter;
import io.jwtgate.core.var.Variables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the rewrite module's directives into {@link Op}s, as nginx's {@code ngx_http_rewrite_module.c} compiles
 * them into script codes, with its error messages. Directives inside an {@code if} block go into the block's own
 * script, which runs in line when the condition holds.
 */
final class ScriptParser {

    /** The script of an {@code if} block being read: the block-stack state its directives add to. */
    static final class IfBlock {
        final List<Op> ops = new ArrayList<>();
    }

    /** Where a directive's op goes: the enclosing {@code if} block's script, or the level's. */
    interface Target {
        List<Op> ops(ConfContext cx);
    }

    private final Target target;
    private final VariableGetter uninitialized;

    /**
     * @param uninitialized the getter of a variable {@code set} defines, for reads before any {@code set} ran
     */
    ScriptParser(Target target, VariableGetter uninitialized) {
        this.target = target;
        this.uninitialized = uninitialized;
    }

    private List<Op> ops(ConfContext cx) {
        Context c = cx.context();
        return c == Context.IF_SERVER || c == Context.IF_LOCATION ? cx.block(IfBlock.class).ops : target.ops(cx);
    }

    // ---- set

    void set(ConfContext cx, ConfDirective d) throws ConfException {
        String name = d.arg(0);
        if (!name.startsWith("$")) {
            throw d.error("invalid variable name \"%s\"", name);
        }
        if (name.length() == 1) {
            throw d.error("invalid variable name \"$\"");
        }
        name = name.substring(1);
        Variables vars = cx.variables();
        Variable v = vars.defined(name);
        if (v == null) {
            vars.define(name, uninitialized, null, name, Variables.CHANGEABLE);
        } else if (!v.changeable()) {
            throw d.error("the duplicate \"%s\" variable", name);
        }
        int index = vars.index(name, d);
        ComplexValue value = cx.compile(d, d.arg(1));
        ops(cx).add(v != null && v.setter() != null ? new Op.Set(index, value, v.setter(), v.data())
                : new Op.Set(index, value, null, null));
    }

    // ---- break, return

    void breakDirective(ConfContext cx, ConfDirective d) {
        ops(cx).add(new Op.Break());
    }

    void returnDirective(ConfContext cx, ConfDirective d) throws ConfException {
        String first = d.arg(0);
        int code = ConfValues.number(first);
        if (code < 0) {
            if (d.args().size() == 1 && isUrl(first)) {
                ops(cx).add(new ReturnOp(302, cx.compile(d, first)));
                return;
            }
            throw d.error("invalid return code \"%s\"", first);
        }
        if (code > 999) {
            throw d.error("invalid return code \"%s\"", first);
        }
        String text = d.args().size() == 2 ? d.arg(1) : "";
        ops(cx).add(new ReturnOp(code, text.isEmpty() ? null : cx.compile(d, text)));
    }

    private static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("$scheme");
    }

    // ---- rewrite

    void rewrite(ConfContext cx, ConfDirective d) throws ConfException {
        String replacement = d.arg(1);
        if (replacement.isEmpty()) {
            throw d.error("empty replacement");
        }
        ScriptRegex regex = regex(cx, d, d.arg(0), false);
        boolean addArgs = !replacement.endsWith("?");
        if (!addArgs) {
            replacement = replacement.substring(0, replacement.length() - 1);
        }
        int redirect = isUrl(replacement) ? 302 : 0;
        boolean stop = redirect != 0;
        boolean stay = false;
        if (d.args().size() == 3) {
            switch (d.arg(2)) {
                case "last" -> stop = true;
                case "break" -> {
                    stop = true;
                    stay = true;
                }
                case "redirect" -> {
                    redirect = 302;
                    stop = true;
                }
                case "permanent" -> {
                    redirect = 301;
                    stop = true;
                }
                default -> throw d.error("invalid parameter \"%s\"", d.arg(2));
            }
        }
        int question = redirect != 0 ? -1 : replacement.indexOf('?');
        ComplexValue target = cx.compile(d, question < 0 ? replacement : replacement.substring(0, question));
        ComplexValue args = question < 0 ? null : cx.compile(d, replacement.substring(question + 1));
        ops(cx).add(new RewriteOp(regex, target, args, replacement.indexOf('?') >= 0, addArgs, redirect, stop,
                stay));
    }

    // ---- if

    /**
     * {@code if (condition) { ... }}: the condition, then the block, read as nginx's pseudo-location in a location
     * (whose configuration the request takes when the condition holds).
     */
    void ifDirective(ConfContext cx, ConfDirective d) throws ConfException {
        List<Op> enclosing = target.ops(cx);
        Condition condition = condition(cx, d);
        IfBlock block = new IfBlock();
        Supplier<LocationConf> pseudoLocation = cx.parseIfBlock(d, block);
        enclosing.add(new Op.If(condition, block.ops.toArray(new Op[0]), pseudoLocation));
    }

    /** nginx's {@code ngx_http_rewrite_if_condition}: the tokens between the parentheses, checked its way. */
    private Condition condition(ConfContext cx, ConfDirective d) throws ConfException {
        List<String> args = new ArrayList<>(d.args());
        int cur = 0;
        int last = args.size() - 1;
        String first = args.get(0);
        if (first.isEmpty() || first.charAt(0) != '(') {
            throw d.error("invalid condition \"%s\"", first);
        }
        if (first.length() == 1) {
            cur = 1;
        } else {
            args.set(0, first.substring(1));
        }
        String end = args.get(last);
        if (end.isEmpty() || end.charAt(end.length() - 1) != ')') {
            throw d.error("invalid condition \"%s\"", end);
        }
        if (end.length() == 1) {
            last--;
        } else {
            args.set(last, end.substring(0, end.length() - 1));
        }
        if (cur > last) {
            throw d.error("invalid condition \"%s\"", args.get(cur));
        }
        String p = args.get(cur);
        if (p.length() > 1 && p.charAt(0) == '$') {
            if (cur != last && cur + 2 != last) {
                throw d.error("invalid condition \"%s\"", p);
            }
            int index = cx.variables().index(p.substring(1), d);
            if (cur == last) {
                return new Condition.Truth(index);
            }
            String op = args.get(cur + 1);
            String operand = args.get(last);
            return switch (op) {
                case "=" -> new Condition.Compare(index, cx.compile(d, operand), true);
                case "!=" -> new Condition.Compare(index, cx.compile(d, operand), false);
                case "~", "~*", "!~", "!~*" -> new Condition.Match(index,
                        regex(cx, d, operand, op.endsWith("*")), op.startsWith("!"));
                default -> throw d.error("unexpected \"%s\" in condition", op);
            };
        }
        if ((p.length() == 2 && p.charAt(0) == '-') || (p.length() == 3 && p.startsWith("!-"))) {
            if (cur + 1 != last) {
                throw d.error("invalid condition \"%s\"", p);
            }
            ComplexValue path = cx.compile(d, args.get(last));
            Condition.FileOp op = switch (p.charAt(p.length() - 1)) {
                case 'f' -> Condition.FileOp.FILE;
                case 'd' -> Condition.FileOp.DIR;
                case 'e' -> Condition.FileOp.EXISTS;
                case 'x' -> Condition.FileOp.EXEC;
                default -> throw d.error("invalid condition \"%s\"", p);
            };
            return new Condition.FileTest(path, op, p.charAt(0) == '!');
        }
        throw d.error("invalid condition \"%s\"", p);
    }

    // ---- regexes

    /**
     * A regex of {@code rewrite} or {@code if}; its named captures become variables, as nginx's
     * {@code ngx_http_regex_compile} makes them.
     */
    private static ScriptRegex regex(ConfContext cx, ConfDirective d, String pattern, boolean caseless)
            throws ConfException {
        NginxRegex regex;
        try {
            regex = NginxRegex.compile(pattern, caseless);
        } catch (PatternSyntaxException e) {
            throw d.error("pcre2_compile() failed: %s in \"%s\"", e.getDescription(), pattern);
        }
        Set<String> names = regex.names();
        String[] byName = names.toArray(new String[0]);
        int[] indexes = new int[byName.length];
        Variables vars = cx.variables();
        for (int i = 0; i < byName.length; i++) {
            String name = byName[i];
            Variable v = vars.defined(name);
            if (v == null) {
                vars.define(name, (x, data) -> x.capture((String) data), name,
                        Variables.CHANGEABLE | Variables.NOCACHE);
            } else if (!v.changeable()) {
                throw d.error("the duplicate \"%s\" variable", name);
            }
            indexes[i] = vars.index(name, d);
        }
        return new ScriptRegex(regex, pattern, byName, indexes);
    }
}
