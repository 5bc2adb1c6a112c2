package io.jwtgate.core.http.route;

import static io.jwtgate.core.http.route.LocationSpec.Kind.EXACT;
import static io.jwtgate.core.http.route.LocationSpec.Kind.PREFIX;
import static io.jwtgate.core.http.route.LocationSpec.Kind.PREFIX_NOREGEX;
import static io.jwtgate.core.http.route.LocationSpec.Kind.REGEX;
import static io.jwtgate.core.http.route.LocationSpec.Kind.REGEX_CASELESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.core.http.route.LocationSpec.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationTreeTest {

    /** The example of nginx's documentation for the location directive. */
    private static final LocationTree<String> DOCUMENTATION = LocationTree.build(List.of(
            loc(EXACT, "/", "A"),
            loc(PREFIX, "/", "B"),
            loc(PREFIX, "/documents/", "C"),
            loc(PREFIX_NOREGEX, "/images/", "D"),
            loc(REGEX_CASELESS, "\\.(gif|jpg|jpeg)$", "E")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/                         | A",
        "/index.html               | B",
        "/documents/document.html  | C",
        "/images/1.gif             | D",
        "/documents/1.jpg          | E",
        "/documents/1.JPG          | E",
        "/x.jpeg                   | E",
        "/documents                | B",
        "/images                   | B",
    })
    void documentationExample(String uri, String expected) {
        assertThat(DOCUMENTATION.match(uri).payload()).isEqualTo(expected);
    }

    /** Nested locations, regex order, ^~ and exact matches; payloads are the patterns' names. */
    private static final LocationTree<String> NESTED = LocationTree.build(List.of(
            loc(PREFIX, "/", "root"),
            loc(EXACT, "/exact", "exact"),
            loc(PREFIX, "/exact", "exact-prefix"),
            loc(PREFIX, "/api/", "api", List.of(
                    loc(PREFIX, "/api/v1/", "api-v1"),
                    loc(PREFIX_NOREGEX, "/api/static/", "api-static"),
                    loc(EXACT, "/api/ping", "api-ping"),
                    loc(REGEX, "\\.json$", "api-json"))),
            loc(PREFIX_NOREGEX, "/assets/", "assets", List.of(
                    loc(PREFIX, "/assets/css/", "assets-css"),
                    loc(REGEX, "\\.css$", "assets-regex"))),
            loc(REGEX, "^/api/.*\\.(xml|json)$", "top-first"),
            loc(REGEX, "\\.json$", "top-second"),
            loc(REGEX, "^/photos/", "photos", List.of(
                    loc(REGEX, "\\.png$", "photos-png"))),
            loc(PREFIX, "/ab", "ab"),
            loc(PREFIX, "/abc", "abc"),
            loc(EXACT, "/abcd", "abcd-exact"),
            loc(PREFIX, "/abcde", "abcde")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/                         | root",
        "/exact                    | exact",
        "/exact/x                  | exact-prefix",
        "/exactly                  | exact-prefix",
        // the nested prefix is chosen, then the server level regexes still win
        "/api/v1/users             | api-v1",
        "/api/v1/users.xml         | top-first",
        "/api/users                | api",
        // the nested regex is tried before the outer ones
        "/api/users.json           | api-json",
        // ^~ inside /api/ only stops /api/'s regexes, the server's ones are still tried
        "/api/static/a.json        | top-first",
        "/api/static/a.txt         | api-static",
        // an exact nested location wins at once
        "/api/ping                 | api-ping",
        // ^~ at the server level stops the server's regexes, not the ones nested inside it
        "/assets/x.json            | assets",
        "/assets/site.css          | assets-regex",
        "/assets/css/site.css      | assets-regex",
        "/assets/css/site.txt      | assets-css",
        // regexes in order of appearance
        "/other/x.json             | top-second",
        "/photos/a.png             | photos-png",
        "/photos/a.gif             | photos",
        // longest prefix among related prefixes, exact only for equality
        "/a                        | root",
        "/ab                       | ab",
        "/abc                      | abc",
        "/abcd                     | abcd-exact",
        "/abcdX                    | abc",
        "/abcde                    | abcde",
        "/abd                      | ab",
    })
    void nestedLocationsAndPriorities(String uri, String expected) {
        assertThat(NESTED.match(uri).payload()).isEqualTo(expected);
    }

    @Test
    void noMatchWithoutACatchAll() {
        LocationTree<String> tree = LocationTree.build(List.of(loc(PREFIX, "/api/", "api")));

        LocationMatch<String> match = tree.match("/other");

        assertThat(match.isMatched()).isFalse();
        assertThat(match.payload()).isNull();
        assertThat(match.pattern()).isNull();
        assertThat(LocationTree.<String>build(List.of()).match("/").isMatched()).isFalse();
    }

    @Test
    void regexLocationsAreCaseSensitiveUnlessCaseless() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(REGEX, "\\.PHP$", "sensitive"),
                loc(REGEX_CASELESS, "\\.php$", "caseless")));

        assertThat(tree.match("/a.PHP").payload()).isEqualTo("sensitive");
        assertThat(tree.match("/a.php").payload()).isEqualTo("caseless");
        assertThat(tree.match("/a.Php").payload()).isEqualTo("caseless");
    }

    @Test
    void prefixMatchingIsCaseSensitive() {
        LocationTree<String> tree = LocationTree.build(List.of(loc(PREFIX, "/", "root"), loc(PREFIX, "/Api", "api")));

        assertThat(tree.match("/api").payload()).isEqualTo("root");
        assertThat(tree.match("/Api/x").payload()).isEqualTo("api");
    }

    @Test
    void regexCapturesNumberedAndNamed() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(PREFIX, "/", "root"),
                loc(REGEX, "^/users/(?<id>\\d+)/(\\w+)$", "user"),
                loc(REGEX, "^/p/(?P<first_name>[a-z]+)-(?'last'[a-z]+)(x)?$", "pcre")));

        LocationMatch<String> user = tree.match("/users/42/profile");
        assertThat(user.payload()).isEqualTo("user");
        assertThat(user.captures().groupCount()).isEqualTo(2);
        assertThat(user.captures().group(0)).isEqualTo("/users/42/profile");
        assertThat(user.captures().group(1)).isEqualTo("42");
        assertThat(user.captures().group(2)).isEqualTo("profile");
        assertThat(user.captures().group(3)).isNull();
        assertThat(user.captures().group("id")).isEqualTo("42");
        assertThat(user.captures().group("nope")).isNull();
        assertThat(user.captures().names()).containsExactly("id");

        LocationMatch<String> pcre = tree.match("/p/ada-lovelace");
        assertThat(pcre.captures().group("first_name")).isEqualTo("ada");
        assertThat(pcre.captures().group("last")).isEqualTo("lovelace");
        assertThat(pcre.captures().group(2)).isEqualTo("lovelace");
        // a group that did not take part
        assertThat(pcre.captures().group(3)).isNull();

        assertThat(tree.match("/users/x").captures()).isSameAs(RegexCaptures.NONE);
    }

    @Test
    void capturesOfARegexParentReachItsNestedPrefix() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(REGEX, "^/(\\w+)/", "outer", List.of(
                        loc(REGEX, "(\\d+)$", "inner-regex")))));

        LocationMatch<String> outer = tree.match("/shop/item");
        assertThat(outer.payload()).isEqualTo("outer");
        assertThat(outer.captures().group(1)).isEqualTo("shop");

        // the last regex that matched provides the captures
        LocationMatch<String> inner = tree.match("/shop/12");
        assertThat(inner.payload()).isEqualTo("inner-regex");
        assertThat(inner.captures().group(1)).isEqualTo("12");
    }

    @Test
    void namedBackReferencesAreRewritten() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(REGEX, "^/(?<w>[a-z]+)/\\k<w>$", "twice"),
                loc(REGEX, "^/(?P<v>[0-9])-(?P=v)$", "pcre-twice")));

        assertThat(tree.match("/ab/ab").payload()).isEqualTo("twice");
        assertThat(tree.match("/ab/cd").isMatched()).isFalse();
        assertThat(tree.match("/1-1").payload()).isEqualTo("pcre-twice");
        assertThat(tree.match("/1-2").isMatched()).isFalse();
    }

    @Test
    void regexSyntaxInClassesAndQuotesIsNotMistakenForGroups() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(REGEX, "^/[(]x(?<n>\\d)[)]\\Q(?<no>)\\E(?<=\\))(?:y)(z)$", "tricky")));

        LocationMatch<String> match = tree.match("/(x1)(?<no>)yz");
        assertThat(match.payload()).isEqualTo("tricky");
        assertThat(match.captures().group("n")).isEqualTo("1");
        assertThat(match.captures().group(2)).isEqualTo("z");
    }

    @Test
    void autoRedirectForTheSlashlessUri() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(PREFIX, "/", "root"),
                new LocationSpec<>(PREFIX, "/api/", "api", true, List.of()),
                new LocationSpec<>(PREFIX, "/app/", "app", false, List.of()),
                new LocationSpec<>(EXACT, "/exact/", "exact", true, List.of()),
                loc(REGEX, "^/api$", "regex-never-reached"),
                new LocationSpec<>(PREFIX, "/both/", "both", true, List.of()),
                loc(PREFIX, "/both", "both-slashless"),
                loc(PREFIX, "/outer/", "outer", List.of(
                        new LocationSpec<>(PREFIX, "/outer/inner/", "inner", true, List.of())))));

        LocationMatch<String> api = tree.match("/api");
        assertThat(api.isAutoRedirect()).isTrue();
        assertThat(api.pattern()).isEqualTo("/api/");
        assertThat(api.payload()).isEqualTo("api");

        assertThat(tree.match("/api/").isAutoRedirect()).isFalse();
        assertThat(tree.match("/api/").payload()).isEqualTo("api");
        // without the flag, no redirect
        assertThat(tree.match("/app").isAutoRedirect()).isFalse();
        assertThat(tree.match("/app").payload()).isEqualTo("root");
        // exact locations redirect too, as in nginx
        assertThat(tree.match("/exact").isAutoRedirect()).isTrue();
        // a location with the URI as its own pattern matches instead
        assertThat(tree.match("/both").isAutoRedirect()).isFalse();
        assertThat(tree.match("/both").payload()).isEqualTo("both-slashless");
        // nested levels redirect as well
        assertThat(tree.match("/outer/inner").isAutoRedirect()).isTrue();
        assertThat(tree.match("/outer/inner").pattern()).isEqualTo("/outer/inner/");
    }

    @Test
    void exactAndPrefixWithTheSameNameCoexist() {
        LocationTree<String> tree = LocationTree.build(List.of(
                loc(PREFIX_NOREGEX, "/a", "prefix"),
                loc(EXACT, "/a", "exact"),
                loc(REGEX, "a", "regex")));

        assertThat(tree.match("/a").payload()).isEqualTo("exact");
        assertThat(tree.match("/ab").payload()).isEqualTo("prefix");
    }

    @Test
    void staticMatchesAllocateNoResult() {
        LocationMatch<String> first = NESTED.match("/api/v1/users");
        LocationMatch<String> second = NESTED.match("/api/v1/other");

        assertThat(first).isSameAs(second);
        assertThat(NESTED.match("/exact")).isSameAs(NESTED.match("/exact"));
    }

    /** Build errors with nginx's reasons, and the location nginx reports them at. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "duplicate prefix           | duplicate location \"/a\"",
        "duplicate prefix and ^~    | duplicate location \"/a\"",
        "duplicate exact            | duplicate location \"/a\"",
        "duplicate nested           | duplicate location \"/n/x\"",
        "outside                    | location \"/b\" is outside location \"/a\"",
        "outside exact pattern      | location \"/x\" is outside location \"/x/\"",
        "nested under regex         | location \"/a\" is outside location \"^/a\"",
        "inside exact               | location \"/a/b\" cannot be inside the exact location \"/a\"",
        "regex inside exact         | location \"x\" cannot be inside the exact location \"/a\"",
        "invalid regex              | invalid regex \"(unclosed\": Unclosed group",
        "duplicate named group      | invalid regex \"(?<a>x)(?<a>y)\": two named subpatterns have the same name",
    })
    void rejectsWhatNginxRejects(String name, String reason) {
        List<LocationSpec<String>> specs;
        LocationSpec<String> offender;
        switch (name) {
            case "duplicate prefix" -> {
                offender = loc(PREFIX, "/a", "second");
                specs = List.of(loc(PREFIX, "/a", "first"), loc(EXACT, "/a", "exact"), offender);
            }
            case "duplicate prefix and ^~" -> {
                offender = loc(PREFIX_NOREGEX, "/a", "second");
                specs = List.of(loc(PREFIX, "/a", "first"), offender);
            }
            case "duplicate exact" -> {
                offender = loc(EXACT, "/a", "second");
                specs = List.of(loc(EXACT, "/a", "first"), offender);
            }
            case "duplicate nested" -> {
                offender = loc(PREFIX, "/n/x", "second");
                specs = List.of(loc(PREFIX, "/n/", "n", List.of(loc(PREFIX, "/n/x", "first"), offender)));
            }
            case "outside" -> {
                offender = loc(PREFIX, "/b", "b");
                specs = List.of(loc(PREFIX, "/a", "a", List.of(offender)));
            }
            case "outside exact pattern" -> {
                offender = loc(PREFIX_NOREGEX, "/x", "x");
                specs = List.of(loc(PREFIX, "/x/", "a", List.of(offender)));
            }
            case "nested under regex" -> {
                offender = loc(PREFIX, "/a", "a");
                specs = List.of(loc(REGEX, "^/a", "r", List.of(offender)));
            }
            case "inside exact" -> {
                offender = loc(PREFIX, "/a/b", "b");
                specs = List.of(loc(EXACT, "/a", "a", List.of(offender)));
            }
            case "regex inside exact" -> {
                offender = loc(REGEX, "x", "x");
                specs = List.of(loc(EXACT, "/a", "a", List.of(offender)));
            }
            case "invalid regex" -> {
                offender = loc(REGEX, "(unclosed", "r");
                specs = List.of(loc(PREFIX, "/", "root"), offender);
            }
            case "duplicate named group" -> {
                offender = loc(REGEX_CASELESS, "(?<a>x)(?<a>y)", "r");
                specs = List.of(offender);
            }
            default -> throw new IllegalArgumentException(name);
        }

        assertThatThrownBy(() -> LocationTree.build(specs))
                .isInstanceOfSatisfying(InvalidLocationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(reason);
                    assertThat(e.location()).isSameAs(offender);
                });
    }

    @Test
    void regexesMayRepeatAsInNginx() {
        LocationTree<String> tree = LocationTree.build(List.of(loc(REGEX, "x", "first"), loc(REGEX, "x", "second")));

        assertThat(tree.match("/x").payload()).isEqualTo("first");
    }

    @Test
    void modifiers() {
        assertThat(Kind.ofModifier("=")).isEqualTo(EXACT);
        assertThat(Kind.ofModifier("^~")).isEqualTo(PREFIX_NOREGEX);
        assertThat(Kind.ofModifier("~")).isEqualTo(REGEX);
        assertThat(Kind.ofModifier("~*")).isEqualTo(REGEX_CASELESS);
        assertThat(Kind.ofModifier("/")).isNull();
        assertThat(Kind.ofModifier("")).isNull();
    }

    private static LocationSpec<String> loc(Kind kind, String pattern, String payload) {
        return LocationSpec.of(kind, pattern, payload);
    }

    private static LocationSpec<String> loc(Kind kind, String pattern, String payload,
            List<LocationSpec<String>> children) {
        return new LocationSpec<>(kind, pattern, payload, false, children);
    }
}
