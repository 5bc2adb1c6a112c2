package io.jwtgate.core.http.route;

import io.jwtgate.core.http.route.LocationSpec.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.PatternSyntaxException;

/**
 * The locations of one server, compiled once, and nginx's algorithm to pick one for a URI
 * ({@code ngx_http_core_find_location} with {@code ngx_http_core_find_static_location}).
 *
 * <p>At each level (the server, then inside the chosen location):
 * <ol>
 *   <li>an exact location equal to the URI wins at once;</li>
 *   <li>when the URI is an {@code autoRedirect} location's pattern minus its trailing slash, and no location at this
 *       level has the URI as its pattern, the answer is that redirect;</li>
 *   <li>otherwise the longest matching prefix is remembered and its nested locations are searched the same way; a
 *       decision there (exact, redirect or regex) is final;</li>
 *   <li>then, unless the prefix remembered at <em>this</em> level is {@code ^~}, the regexes of this level are tried
 *       in order of appearance; the first that matches wins, after its own nested locations are searched;</li>
 *   <li>otherwise the deepest remembered prefix is the answer.</li>
 * </ol>
 *
 * <p>The static part is sorted arrays searched with binary search: a prefix or exact match allocates nothing (its
 * result is built at configuration time). Instances are immutable and thread-safe.
 *
 * @param <T> the payload type
 */
public final class LocationTree<T> {

    private final Level<T> root;

    private LocationTree(Level<T> root) {
        this.root = root;
    }

    /**
     * Compiles the locations of a server.
     *
     * @throws InvalidLocationException with nginx's reason: {@code duplicate location "/a"} (nginx counts {@code /a}
     *     and {@code ^~ /a} as the same location, while {@code = /a} can sit beside either), {@code location "/b" is
     *     outside location "/a"}, {@code location "/a/b" cannot be inside the exact location "/a"}, or an invalid
     *     regex
     */
    public static <T> LocationTree<T> build(List<LocationSpec<T>> locations) {
        Map<LocationSpec<T>, NginxRegex> regexes = new IdentityHashMap<>();
        // nginx checks nesting and compiles regexes while reading, before it looks for duplicates
        check(null, locations, regexes);
        return new LocationTree<>(Level.build(locations, regexes));
    }

    /** Picks the location for a normalised URI ({@link UriNormalizer#normalize}). */
    public LocationMatch<T> match(String uri) {
        LocationMatch<T> found = root.find(uri);
        return found == null ? LocationMatch.none() : found;
    }

    private static <T> void check(LocationSpec<T> parent, List<LocationSpec<T>> locations,
            Map<LocationSpec<T>, NginxRegex> regexes) {
        for (LocationSpec<T> location : locations) {
            if (parent != null) {
                if (parent.kind() == Kind.EXACT) {
                    throw new InvalidLocationException("location \"" + location.pattern()
                            + "\" cannot be inside the exact location \"" + parent.pattern() + "\"", location);
                }
                if (!location.kind().isRegex() && !location.pattern().startsWith(parent.pattern())) {
                    throw new InvalidLocationException("location \"" + location.pattern()
                            + "\" is outside location \"" + parent.pattern() + "\"", location);
                }
            }
            if (location.kind().isRegex()) {
                try {
                    regexes.put(location, NginxRegex.compile(location.pattern(),
                            location.kind() == Kind.REGEX_CASELESS));
                } catch (PatternSyntaxException e) {
                    throw new InvalidLocationException("invalid regex \"" + location.pattern() + "\": "
                            + e.getDescription(), location);
                }
            }
            check(location, location.children(), regexes);
        }
    }

    /** One compiled location. */
    private static final class Node<T> {

        final String pattern;
        final T payload;
        final boolean noRegex;
        final boolean autoRedirect;
        final NginxRegex regex;
        final Level<T> children;
        /** The answer when this location is chosen by a static match, built once. */
        final LocationMatch<T> match;

        Node(LocationSpec<T> spec, NginxRegex regex, Level<T> children) {
            this.pattern = spec.pattern();
            this.payload = spec.payload();
            this.noRegex = spec.kind() == Kind.PREFIX_NOREGEX;
            // nginx sets auto_redirect only on names ending with "/", the redirect adds exactly that slash
            this.autoRedirect = spec.autoRedirect() && pattern.endsWith("/");
            this.regex = regex;
            this.children = children;
            this.match = new LocationMatch<>(payload, pattern, RegexCaptures.NONE, false,
                    spec.kind() == Kind.EXACT);
        }
    }

    /** The locations declared at one level: the server, or inside one location. */
    private static final class Level<T> {

        /** Static patterns, sorted; each has an exact location, an inclusive (prefix) one, or both. */
        private final String[] names;
        private final Node<T>[] exact;
        private final Node<T>[] inclusive;
        /** For each name, the index of the longest other name that is an inclusive prefix of it, or -1. */
        private final int[] shorterPrefix;
        /** Patterns of auto-redirect locations without their trailing slash, sorted, and the redirect answers. */
        private final String[] redirectKeys;
        private final List<LocationMatch<T>> redirects;
        private final List<Node<T>> regexes;

        private Level(String[] names, Node<T>[] exact, Node<T>[] inclusive, String[] redirectKeys,
                List<LocationMatch<T>> redirects, List<Node<T>> regexes) {
            this.names = names;
            this.exact = exact;
            this.inclusive = inclusive;
            this.redirectKeys = redirectKeys;
            this.redirects = redirects;
            this.regexes = regexes;
            this.shorterPrefix = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                shorterPrefix[i] = -1;
                // a longer prefix sorts after a shorter one, so the first hit going down is the longest
                for (int j = i - 1; j >= 0; j--) {
                    if (inclusive[j] != null && names[i].startsWith(names[j])) {
                        shorterPrefix[i] = j;
                        break;
                    }
                }
            }
        }

        @SuppressWarnings("unchecked")
        static <T> Level<T> build(List<LocationSpec<T>> locations, Map<LocationSpec<T>, NginxRegex> regexes) {
            TreeMap<String, Node<T>> exact = new TreeMap<>();
            TreeMap<String, Node<T>> inclusive = new TreeMap<>();
            List<Node<T>> regexNodes = new ArrayList<>();
            for (LocationSpec<T> location : locations) {
                Node<T> node = new Node<>(location, regexes.get(location), build(location.children(), regexes));
                if (location.kind().isRegex()) {
                    regexNodes.add(node);
                    continue;
                }
                TreeMap<String, Node<T>> slot = location.kind() == Kind.EXACT ? exact : inclusive;
                if (slot.putIfAbsent(location.pattern(), node) != null) {
                    throw new InvalidLocationException("duplicate location \"" + location.pattern() + "\"",
                            location);
                }
            }

            TreeMap<String, Node<T>> all = new TreeMap<>(inclusive);
            all.putAll(exact);
            String[] names = all.keySet().toArray(new String[0]);
            Node<T>[] exactNodes = new Node[names.length];
            Node<T>[] inclusiveNodes = new Node[names.length];
            TreeMap<String, LocationMatch<T>> redirects = new TreeMap<>();
            for (int i = 0; i < names.length; i++) {
                exactNodes[i] = exact.get(names[i]);
                inclusiveNodes[i] = inclusive.get(names[i]);
                Node<T> target = redirectTarget(exactNodes[i], inclusiveNodes[i]);
                if (target != null) {
                    String key = target.pattern.substring(0, target.pattern.length() - 1);
                    redirects.put(key, new LocationMatch<>(target.payload, target.pattern, RegexCaptures.NONE,
                            true, true));
                }
            }
            return new Level<>(names, exactNodes, inclusiveNodes, redirects.keySet().toArray(new String[0]),
                    List.copyOf(redirects.values()), List.copyOf(regexNodes));
        }

        /** As {@code ngx_http_create_locations_tree}: the exact location is preferred when both ask to redirect. */
        private static <T> Node<T> redirectTarget(Node<T> exact, Node<T> inclusive) {
            if ((exact == null || !exact.autoRedirect) && (inclusive == null || !inclusive.autoRedirect)) {
                return null;
            }
            return exact != null ? exact : inclusive;
        }

        /** nginx's find_location for this level; null when nothing at this level (or below) matched. */
        LocationMatch<T> find(String uri) {
            Node<T> prefix = null;
            LocationMatch<T> current = null;
            if (names.length > 0) {
                int at = Arrays.binarySearch(names, uri);
                int candidate;
                if (at >= 0) {
                    if (exact[at] != null) {
                        return exact[at].match;
                    }
                    candidate = at;
                } else {
                    if (redirectKeys.length > 0) {
                        int redirect = Arrays.binarySearch(redirectKeys, uri);
                        if (redirect >= 0) {
                            return redirects.get(redirect);
                        }
                    }
                    // every name that is a prefix of the URI is a prefix of the greatest name below the URI
                    int floor = -at - 2;
                    candidate = floor < 0 ? -1 : inclusive[floor] != null ? floor : shorterPrefix[floor];
                    while (candidate >= 0 && !uri.startsWith(names[candidate])) {
                        candidate = shorterPrefix[candidate];
                    }
                }
                if (candidate >= 0) {
                    prefix = inclusive[candidate];
                    LocationMatch<T> nested = prefix.children.find(uri);
                    if (nested != null && nested.isDecisive()) {
                        return nested;
                    }
                    current = nested != null ? nested : prefix.match;
                }
            }
            if (prefix != null && prefix.noRegex) {
                return current;
            }
            for (Node<T> node : regexes) {
                RegexCaptures captures = node.regex.find(uri);
                if (captures == null) {
                    continue;
                }
                LocationMatch<T> nested = node.children.find(uri);
                if (nested == null) {
                    return new LocationMatch<>(node.payload, node.pattern, captures, false, true);
                }
                // a nested regex that matched brings its own captures, as the last regex nginx ran
                return nested.isAutoRedirect() || nested.captures() != RegexCaptures.NONE
                        ? nested : nested.withCaptures(captures);
            }
            return current;
        }
    }
}
