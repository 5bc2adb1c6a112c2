package io.jwtgate.core.var;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The variables of one configuration, as nginx keeps them: modules define variables (and prefix families such as
 * {@code $http_*}) before the files are read; directives reference variables by name while they are read and get an
 * index; {@link #resolve()} then checks that every referenced name is defined. At request time a variable is
 * evaluated on first use and cached in the request, unless it is {@link #NOCACHE}.
 */
public final class Variables {

    /** The value changes during a request (times, status): never cache it. */
    public static final int NOCACHE = 1;
    /** A later definition may replace this one (maps and claim variables may be redefined). */
    public static final int CHANGEABLE = 2;

    private record Prefix(String prefix, VariableGetter getter, int flags) {
    }

    private final Map<String, Variable> defined = new HashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();
    private final Map<String, Integer> indexes = new LinkedHashMap<>();
    private final Map<String, ConfDirective> firstUse = new HashMap<>();
    private Variable[] table;

    /**
     * Defines a variable. Redefining one is an error unless both definitions are {@link #CHANGEABLE}, in which case
     * the new one replaces the old (as nginx does for {@code map}).
     */
    public Variable define(String name, VariableGetter getter, Object data, int flags) {
        return define(name, getter, null, data, flags);
    }

    /** As {@link #define(String, VariableGetter, Object, int)}, with a setter that {@code set} calls. */
    public Variable define(String name, VariableGetter getter, VariableSetter setter, Object data, int flags) {
        Variable old = defined.get(name);
        if (old != null && ((old.flags() & flags & CHANGEABLE) == 0)) {
            throw new IllegalArgumentException("the duplicate \"" + name + "\" variable");
        }
        Variable v = new Variable(name, indexOf(name), getter, setter, data, flags);
        defined.put(name, v);
        return v;
    }

    /** The variable defined by that name so far (not by a prefix family), or {@code null}. */
    public Variable defined(String name) {
        return defined.get(name);
    }

    /**
     * Defines a family of variables, such as {@code http_} for {@code $http_user_agent}; the getter's data is the rest
     * of the name.
     */
    public void definePrefix(String prefix, VariableGetter getter, int flags) {
        prefixes.add(new Prefix(prefix, getter, flags));
    }

    /** Whether a variable of that name is defined, directly or by a prefix family. */
    public boolean isDefined(String name) {
        return defined.containsKey(name) || prefixFor(name) != null;
    }

    /** The index of a variable referenced by a directive; the name must be defined by the end of the configuration. */
    public int index(String name, ConfDirective where) {
        firstUse.putIfAbsent(name, where);
        return indexOf(name);
    }

    private int indexOf(String name) {
        return indexes.computeIfAbsent(name, n -> indexes.size());
    }

    /**
     * Compiles {@code text}, which may reference {@code $name}, {@code ${name}} and regex captures
     * {@code $1}..{@code $9}.
     */
    public ComplexValue compile(String text, ConfDirective where) throws ConfException {
        return compile(text, where, null);
    }

    /**
     * Compiles {@code text} in the scope of a regex (a {@code map} entry's key): a {@code $name} that
     * {@code namedGroups} knows (a group number >= 0) refers to that group of the regex's captures, passed to
     * {@link ComplexValue#evaluate(io.jwtgate.core.http.HttpExchange, io.jwtgate.core.http.route.RegexCaptures)}.
     */
    public ComplexValue compile(String text, ConfDirective where, ToIntFunction<String> namedGroups)
            throws ConfException {
        if (text.indexOf('$') < 0) {
            return ComplexValue.constant(text);
        }
        List<String> literals = new ArrayList<>();
        List<Integer> refs = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c != '$') {
                lit.append(c);
                i++;
                continue;
            }
            i++;
            if (i < n && text.charAt(i) >= '1' && text.charAt(i) <= '9') {
                literals.add(lit.toString());
                lit.setLength(0);
                refs.add(-(text.charAt(i) - '0') - 1);
                i++;
                continue;
            }
            boolean braced = i < n && text.charAt(i) == '{';
            if (braced) {
                i++;
            }
            int start = i;
            while (i < n && isNameChar(text.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw where.error("invalid variable name");
            }
            String name = text.substring(start, i);
            if (braced) {
                if (i >= n || text.charAt(i) != '}') {
                    throw where.error("the closing bracket in \"%s\" variable is missing", name);
                }
                i++;
            }
            literals.add(lit.toString());
            lit.setLength(0);
            int group = namedGroups == null ? -1 : namedGroups.applyAsInt(name);
            refs.add(group >= 0 ? -group - 1 : index(name, where));
        }
        literals.add(lit.toString());
        int[] r = new int[refs.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = refs.get(k);
        }
        return new ComplexValue(text, literals.toArray(new String[0]), r);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private Prefix prefixFor(String name) {
        Prefix best = null;
        for (Prefix p : prefixes) {
            if (name.startsWith(p.prefix) && name.length() > p.prefix.length()
                    && (best == null || p.prefix.length() > best.prefix.length())) {
                best = p;
            }
        }
        return best;
    }

    /** Checks that every referenced variable is defined and fixes the table; called once after the files are read. */
    public void resolve() throws ConfException {
        Variable[] t = new Variable[indexes.size()];
        for (Map.Entry<String, Integer> e : indexes.entrySet()) {
            String name = e.getKey();
            Variable v = defined.get(name);
            if (v == null) {
                Prefix p = prefixFor(name);
                if (p == null) {
                    ConfDirective where = firstUse.get(name);
                    String msg = "unknown \"" + name + "\" variable";
                    throw where == null ? new ConfException(msg) : where.error(msg);
                }
                v = new Variable(name, e.getValue(), p.getter, null, name.substring(p.prefix.length()), p.flags);
            }
            t[e.getValue()] = v;
        }
        table = t;
    }

    /** The variables by index; valid after {@link #resolve()}. */
    public Variable[] table() {
        if (table == null) {
            throw new IllegalStateException("variables are not resolved yet");
        }
        return table;
    }

    /** The number of variable slots a request needs. */
    public int size() {
        return indexes.size();
    }
}
