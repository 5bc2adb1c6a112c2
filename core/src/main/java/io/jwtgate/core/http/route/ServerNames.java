package io.jwtgate.core.http.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The virtual servers of one listening address and port, and nginx's choice among them for a {@code Host}
 * ({@code ngx_http_find_virtual_server}): an exact name, then the longest leading wildcard ({@code *.example.com},
 * or {@code .example.com}, which also stands for {@code example.com} itself), then the longest trailing wildcard
 * ({@code www.example.*}), then the first regex ({@code ~...}, case-insensitive) in order of appearance, and finally
 * the default server of the socket.
 *
 * <p>Instances are immutable and thread-safe; a choice by name allocates nothing.
 *
 * @param <T> the server payload type
 */
public final class ServerNames<T> {

    /**
     * The chosen server.
     *
     * @param server the server's payload
     * @param captures what the server name regex captured, or {@link RegexCaptures#NONE}
     * @param <T> the server payload type
     */
    public record Selection<T>(T server, RegexCaptures captures) {
    }

    private final Map<String, Selection<T>> exact;
    private final Map<String, HeadWildcard<T>> headWildcards;
    private final Map<String, Selection<T>> tailWildcards;
    private final List<RegexName<T>> regexes;
    private final Selection<T> defaultServer;

    private ServerNames(Builder<T> builder) {
        this.exact = Map.copyOf(builder.exact);
        this.headWildcards = Map.copyOf(builder.headWildcards);
        this.tailWildcards = Map.copyOf(builder.tailWildcards);
        this.regexes = List.copyOf(builder.regexes);
        this.defaultServer = builder.defaultServer;
    }

    /**
     * A builder for the servers listening on {@code address}, the text nginx prints for it ({@code 0.0.0.0:80}) in
     * warnings and errors.
     */
    public static <T> Builder<T> builder(String address) {
        return new Builder<>(address);
    }

    /**
     * Chooses the server for a host as returned by {@link #normalizeHost}, or for {@code ""} when the request has no
     * host (only {@code server_name ""} or the default server can match that). Never null.
     */
    public Selection<T> select(String host) {
        Selection<T> found = exact.get(host);
        if (found != null) {
            return found;
        }
        if (host.isEmpty()) {
            return defaultServer;
        }
        found = selectHeadWildcard(host);
        if (found != null) {
            return found;
        }
        found = selectTailWildcard(host);
        if (found != null) {
            return found;
        }
        for (RegexName<T> name : regexes) {
            RegexCaptures captures = name.regex.find(host);
            if (captures != null) {
                return new Selection<>(name.server, captures);
            }
        }
        return defaultServer;
    }

    /** The server for requests no name matches: the one marked {@code default_server}, else the first. */
    public T defaultServer() {
        return defaultServer.server();
    }

    /** The longest suffix first: the whole host (only ".example.com" style names), then after each dot. */
    private Selection<T> selectHeadWildcard(String host) {
        if (headWildcards.isEmpty()) {
            return null;
        }
        HeadWildcard<T> whole = headWildcards.get(host);
        if (whole != null && whole.matchesBareName) {
            return whole.selection;
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            HeadWildcard<T> suffix = headWildcards.get(host.substring(dot + 1));
            if (suffix != null && dot > 0) {
                return suffix.selection;
            }
        }
        return null;
    }

    /** The longest prefix first: "www.example.*" needs at least one character after "www.example.". */
    private Selection<T> selectTailWildcard(String host) {
        if (tailWildcards.isEmpty()) {
            return null;
        }
        for (int dot = host.lastIndexOf('.', host.length() - 2); dot > 0; dot = host.lastIndexOf('.', dot - 1)) {
            Selection<T> prefix = tailWildcards.get(host.substring(0, dot));
            if (prefix != null) {
                return prefix;
            }
        }
        return null;
    }

    /**
     * The {@code Host} header (or the host of an absolute request URI) as nginx's {@code ngx_http_validate_host}
     * leaves it: the port and one trailing dot removed, ASCII letters lowercased. {@code null} when nginx would answer
     * 400: empty, {@code ..} anywhere, a {@code /}, a NUL or another control character or space. An IPv6 literal is
     * kept with its brackets; like nginx, its contents are not checked. A host that needs no change is returned as the
     * same instance.
     */
    public static String normalizeHost(String host) {
        int dot = -2;
        int hostLength = host.length();
        boolean literal = false;
        boolean rest = false;
        boolean upperCase = false;
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            switch (ch) {
                case '.' -> {
                    if (dot == i - 1) {
                        return null;
                    }
                    dot = i;
                }
                case ':' -> {
                    if (!literal && !rest) {
                        hostLength = i;
                        rest = true;
                    }
                }
                case '[' -> literal = literal || i == 0;
                case ']' -> {
                    if (literal && !rest) {
                        hostLength = i + 1;
                        rest = true;
                    }
                }
                default -> {
                    if (ch == '/' || ch <= 0x20 || ch == 0x7f) {
                        return null;
                    }
                    upperCase |= ch >= 'A' && ch <= 'Z';
                }
            }
        }
        if (dot == hostLength - 1) {
            hostLength--;
        }
        if (hostLength <= 0) {
            return null;
        }
        String name = hostLength == host.length() ? host : host.substring(0, hostLength);
        return upperCase ? lowerCaseAscii(name) : name;
    }

    /** nginx's {@code ngx_strlow}: only ASCII letters change. */
    private static String lowerCaseAscii(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /** A leading wildcard; ".example.com" also matches "example.com" itself, "*.example.com" does not. */
    private record HeadWildcard<T>(Selection<T> selection, boolean matchesBareName) {
    }

    private record RegexName<T>(NginxRegex regex, T server) {
    }

    /**
     * Collects the servers of one socket in configuration order. Names are checked as they are added, so an error
     * can be reported at the server that has it. Like nginx, a name already taken on this socket is ignored with a
     * warning. Not thread-safe.
     *
     * @param <T> the server payload type
     */
    public static final class Builder<T> {

        private final String address;
        private final Map<String, Selection<T>> exact = new HashMap<>();
        /** Exact names plus the "example.com" of every ".example.com": nginx's conflict set for exact names. */
        private final Set<String> exactTaken = new HashSet<>();
        private final Map<String, HeadWildcard<T>> headWildcards = new HashMap<>();
        private final Map<String, Selection<T>> tailWildcards = new HashMap<>();
        private final List<RegexName<T>> regexes = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private Selection<T> defaultServer;
        private boolean defaultMarked;

        private Builder(String address) {
            this.address = Objects.requireNonNull(address, "address");
        }

        /**
         * Adds a server with its {@code server_name} values, as written ({@code ~} starts a regex).
         *
         * @param defaultServer whether its {@code listen} has {@code default_server}
         * @throws IllegalArgumentException {@code invalid server name or wildcard "<name>" on <address>}, an invalid
         *     regex, or {@code a duplicate default server for <address>}
         */
        public Builder<T> server(T server, List<String> names, boolean defaultServer) {
            Selection<T> selection = new Selection<>(server, RegexCaptures.NONE);
            if (defaultServer) {
                if (defaultMarked) {
                    throw new IllegalArgumentException("a duplicate default server for " + address);
                }
                defaultMarked = true;
                this.defaultServer = selection;
            } else if (this.defaultServer == null) {
                this.defaultServer = selection;
            }
            for (String name : names) {
                if (name.startsWith("~")) {
                    addRegex(name, server);
                } else {
                    add(lowerCaseAscii(name), selection);
                }
            }
            return this;
        }

        /** The warnings so far, as nginx logs them. */
        public List<String> warnings() {
            return List.copyOf(warnings);
        }

        /**
         * The selection table.
         *
         * @throws IllegalStateException when no server was added
         */
        public ServerNames<T> build() {
            if (defaultServer == null) {
                throw new IllegalStateException("no server listens on " + address);
            }
            return new ServerNames<>(this);
        }

        private void addRegex(String name, T server) {
            String regex = name.substring(1);
            try {
                // nginx compiles server name regexes with NGX_REGEX_CASELESS
                regexes.add(new RegexName<>(NginxRegex.compile(regex, true), server));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex \"" + regex + "\": " + e.getDescription(), e);
            }
        }

        /** {@code ngx_hash_add_key} with {@code NGX_HASH_WILDCARD_KEY}: validation, kind, and conflicts. */
        private void add(String name, Selection<T> selection) {
            if (!isValid(name)) {
                throw new IllegalArgumentException(
                        "invalid server name or wildcard \"" + name + "\" on " + address);
            }
            boolean taken;
            if (name.length() > 1 && name.startsWith(".")) {
                String base = name.substring(1);
                taken = exactTaken.contains(base) || headWildcards.containsKey(base);
                if (!taken) {
                    exactTaken.add(base);
                    headWildcards.put(base, new HeadWildcard<>(selection, true));
                }
            } else if (name.length() > 2 && name.startsWith("*.")) {
                String base = name.substring(2);
                taken = headWildcards.putIfAbsent(base, new HeadWildcard<>(selection, false)) != null;
            } else if (name.length() > 2 && name.endsWith(".*")) {
                taken = tailWildcards.putIfAbsent(name.substring(0, name.length() - 2), selection) != null;
            } else {
                taken = !exactTaken.add(name);
                if (!taken) {
                    exact.put(name, selection);
                }
            }
            if (taken) {
                warnings.add("conflicting server name \"" + name + "\" on " + address + ", ignored");
            }
        }

        /** At most one "*", only as "*." in front or ".*" at the end, no "..", no NUL. */
        private static boolean isValid(String name) {
            if (name.indexOf('\0') >= 0 || name.contains("..")) {
                return false;
            }
            int star = name.indexOf('*');
            if (star < 0) {
                return true;
            }
            if (name.indexOf('*', star + 1) >= 0 || name.length() <= 2) {
                return false;
            }
            return name.startsWith("*.") || name.endsWith(".*");
        }
    }
}
