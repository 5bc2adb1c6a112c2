package io.jwtgate.jwt;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.KeyFormat;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.claims.ClaimPath;
import io.jwtgate.jose.claims.ClaimRule;
import io.jwtgate.jose.claims.Operator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code jwt_*} directives (docs/jwt.md#directive-reference): the table and its setters, which fill a level's
 * {@link JwtConf.Draft} (and the http-wide {@link JwtModule.Main}) while the configuration is read. Keys, key files
 * and revocation lists are loaded here, at configuration time, never on an event loop.
 */
final class JwtDirectives {

    /**
     * {@code jwt_log_level}: nginx's level names, mapped as the error log maps them (docs/configuration.md#error_log):
     * {@code info} and {@code notice} are one level there, {@code crit} and above are {@code error}.
     */
    private static final Map<String, ErrorLogLevel> LOG_LEVELS = Arrays.stream(ErrorLogLevel.values())
            .collect(Collectors.toMap(ErrorLogLevel::word, l -> l));

    private final LocSlot<JwtConf.Draft, JwtConf> conf;
    private final MainSlot<JwtModule.Main> main;
    private final CryptoProvider crypto;
    private final JwtVariables variables;

    JwtDirectives(LocSlot<JwtConf.Draft, JwtConf> conf, MainSlot<JwtModule.Main> main, CryptoProvider crypto,
            JwtVariables variables) {
        this.conf = conf;
        this.main = main;
        this.crypto = crypto;
        this.variables = variables;
    }

    /** The directive table: name, contexts, arity, setter. */
    List<Directive> table() {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("jwt_secret", hsl, Arity.TAKE12, this::secret),
                Directive.of("jwt_key_file", hsl, Arity.TAKE12, this::keyFile),
                Directive.of("jwt_key_request", hsl, Arity.TAKE12, this::keyRequest),
                Directive.of("jwt_key_refresh_interval", hsl, Arity.TAKE1, Setters.millis(conf,
                        dr -> dr.keyRefreshIntervalMs, (dr, v) -> dr.keyRefreshIntervalMs = v)),
                Directive.of("jwt_key_request_prefetch", hsl, Arity.TAKE1,
                        Setters.flag(conf, dr -> dr.keyPrefetch, (dr, v) -> dr.keyPrefetch = v)),
                Directive.of("jwt_claim", hsl, Arity.TAKE2, (cx, d) -> variable(cx, d, false)),
                Directive.of("jwt_header", hsl, Arity.TAKE2, (cx, d) -> variable(cx, d, true)),
                Directive.of("jwt_require_claim", hsl, Arity.TAKE3, (cx, d) -> rule(cx, d, false)),
                Directive.of("jwt_require_header", hsl, Arity.TAKE3, (cx, d) -> rule(cx, d, true)),
                Directive.of("jwt_require", hsl, Arity.ONE_OR_MORE, this::require),
                Directive.of("jwt_issuer", hsl, Arity.ONE_OR_MORE, (cx, d) -> {
                    JwtConf.Draft dr = cx.loc(conf);
                    Setters.checkUnset(d, dr.issuers);
                    dr.issuers = Set.copyOf(new LinkedHashSet<>(d.args()));
                }),
                Directive.of("jwt_audience", hsl, Arity.ONE_OR_MORE, (cx, d) -> {
                    JwtConf.Draft dr = cx.loc(conf);
                    Setters.checkUnset(d, dr.audiences);
                    dr.audiences = Set.copyOf(new LinkedHashSet<>(d.args()));
                }),
                Directive.of("jwt_validate_exp", hsl, Arity.TAKE1,
                        Setters.flag(conf, dr -> dr.validateExp, (dr, v) -> dr.validateExp = v)),
                Directive.of("jwt_validate_sig", hsl, Arity.TAKE1,
                        Setters.flag(conf, dr -> dr.validateSig, (dr, v) -> dr.validateSig = v)),
                Directive.of("jwt_leeway", hsl, Arity.TAKE1,
                        Setters.seconds(conf, c -> c.leeway, (c, v) -> c.leeway = v)),
                Directive.of("jwt_revocation_list_sub", hsl, Arity.TAKE1, (cx, d) -> revocation(cx, d, true)),
                Directive.of("jwt_revocation_list_kid", hsl, Arity.TAKE1, (cx, d) -> revocation(cx, d, false)),
                Directive.of("jwt_phase", hsl, Arity.TAKE1, Setters.oneOf(conf,
                        Map.of("access", Boolean.FALSE, "preaccess", Boolean.TRUE),
                        dr -> dr.preaccess, (dr, v) -> dr.preaccess = v)),
                Directive.of("jwt_realm", hsl, Arity.TAKE1, this::realm),
                Directive.of("jwt_log_level", hsl, Arity.TAKE1, Setters.oneOf(conf, LOG_LEVELS,
                        dr -> dr.logLevel, (dr, v) -> dr.logLevel = v)),
                Directive.of("jwt_token_cache", EnumSet.of(Context.HTTP), Arity.TAKE1, (cx, d) -> {
                    JwtModule.Main m = cx.main(main);
                    Setters.checkUnset(d, m.tokenCacheBytes);
                    long bytes = d.arg(0).equals("off") ? 0 : ConfValues.bytes(d.arg(0));
                    if (bytes < 0) {
                        throw d.error("\"%s\" directive invalid value", d.name());
                    }
                    m.tokenCacheBytes = bytes;
                }));
    }

    /** {@code jwt_secret off | "<secret>" | token=$v | "<secret>" token=$v}. */
    private void secret(ConfContext cx, ConfDirective d) throws ConfException {
        JwtConf.Draft dr = cx.loc(conf);
        if (dr.secretSeen) {
            throw d.error("\"%s\" directive is duplicate", d.name());
        }
        dr.secretSeen = true;
        if (d.args().size() == 1 && d.arg(0).equals("off")) {
            if (dr.sourceDeclared) {
                throw offConflict(d);
            }
            dr.enabled = Boolean.FALSE;
            return;
        }
        String secret = null;
        String token = null;
        for (String a : d.args()) {
            if (a.startsWith("token=")) {
                if (token != null) {
                    throw d.error("duplicate \"token=\" parameter in \"%s\" directive", d.name());
                }
                token = a.substring("token=".length());
                if (token.isEmpty()) {
                    throw d.error("empty \"token=\" parameter in \"%s\" directive", d.name());
                }
            } else {
                if (secret != null || a.equals("off")) {
                    throw d.error("invalid parameter \"%s\" in \"%s\" directive", a, d.name());
                }
                secret = a;
            }
        }
        declareSource(d, dr);
        if (token != null) {
            dr.extractor = TokenExtractor.variable(cx.compile(d, token));
        }
        if (secret != null) {
            addKeys(dr, KeyFiles.secret(cx, d, secret, crypto));
        }
    }

    /** {@code jwt_key_file <path> [jwks|keyval|pem]}. */
    private void keyFile(ConfContext cx, ConfDirective d) throws ConfException {
        JwtConf.Draft dr = cx.loc(conf);
        // without a format argument the file's content decides (docs/jwt.md#jwt_key_file)
        KeyFormat format = d.args().size() < 2 ? null : format(d, "key file format", KeyFormat.values());
        declareSource(d, dr);
        addKeys(dr, KeyFiles.keyFile(cx, d, cx.resolvePath(d.arg(0)), format, crypto));
    }

    /** {@code jwt_key_request <uri|$variable> [jwks|keyval]}. */
    private void keyRequest(ConfContext cx, ConfDirective d) throws ConfException {
        JwtConf.Draft dr = cx.loc(conf);
        KeyFormat format = format(d, "key format", KeyFormat.JWKS, KeyFormat.KEYVAL);
        ComplexValue uri = cx.compile(d, d.arg(0));
        if (uri.isConstant() && !uri.constant().startsWith("/")) {
            throw d.error("invalid URI \"%s\" in \"%s\" directive, it must name a location of this server",
                    d.arg(0), d.name());
        }
        declareSource(d, dr);
        if (dr.keyRequests == null) {
            dr.keyRequests = new ArrayList<>();
        }
        KeyRequest source = new KeyRequest(uri, format, d, crypto);
        dr.keyRequests.add(source);
        cx.main(main).keySources.add(source);
    }

    /** The optional second argument of a key directive: one of {@code allowed}, {@code jwks} when absent. */
    private static KeyFormat format(ConfDirective d, String what, KeyFormat... allowed)
            throws ConfException {
        if (d.args().size() < 2) {
            return KeyFormat.JWKS;
        }
        String arg = ConfValues.lower(d.arg(1));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < allowed.length; i++) {
            String name = allowed[i].text();
            if (name.equals(arg)) {
                return allowed[i];
            }
            names.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ").append('"').append(name).append('"');
        }
        throw d.error("invalid %s \"%s\" in \"%s\" directive, it must be %s", what, d.arg(1), d.name(), names);
    }

    /** A key or token source at this level enables validation; {@code jwt_secret off} at the same level conflicts. */
    private static void declareSource(ConfDirective d, JwtConf.Draft dr) throws ConfException {
        if (dr.enabled == Boolean.FALSE) {
            throw offConflict(d);
        }
        dr.sourceDeclared = true;
        dr.enabled = Boolean.TRUE;
    }

    private static ConfException offConflict(ConfDirective d) {
        return d.error("\"jwt_secret off\" cannot be combined with a key source at the same level");
    }

    private static void addKeys(JwtConf.Draft dr, KeySet keys) {
        if (dr.keys == null) {
            dr.keys = new ArrayList<>();
        }
        dr.keys.add(keys);
    }

    /** {@code jwt_claim $v <path>} and {@code jwt_header $v <path>}. */
    private void variable(ConfContext cx, ConfDirective d, boolean header) throws ConfException {
        String name = variableName(d, d.arg(0));
        ClaimPath path = path(d, d.arg(1));
        JwtConf.Draft dr = cx.loc(conf);
        if (dr.vars.containsKey(name)) {
            throw d.error("variable \"$%s\" is already defined by jwt_claim or jwt_header at this level", name);
        }
        try {
            cx.variables().define(name, variables::defined, name, JwtVariables.DEFINED_FLAGS);
        } catch (IllegalArgumentException e) {
            throw d.error(e.getMessage());
        }
        dr.vars.put(name, new JwtConf.VarDef(path, header));
    }

    private static String variableName(ConfDirective d, String arg) throws ConfException {
        if (arg.length() < 2 || arg.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", arg);
        }
        for (int i = 1; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                throw d.error("invalid variable name \"%s\"", arg);
            }
        }
        return arg.substring(1);
    }

    private static ClaimPath path(ConfDirective d, String text) throws ConfException {
        try {
            return ClaimPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw d.error("%s in \"%s\" directive", e.getMessage(), d.name());
        }
    }

    /**
     * {@code jwt_require_claim <path> <op> <value>} and {@code jwt_require_header}. A value with variables is
     * interpolated per request; {@code match} patterns are never interpolated ({@code $} is a regex anchor there).
     */
    private void rule(ConfContext cx, ConfDirective d, boolean header) throws ConfException {
        String path = d.arg(0);
        String op = d.arg(1);
        String value = d.arg(2);
        ClaimCheck check;
        try {
            ClaimRule shape = ClaimRule.compileDynamic(path, op);
            ComplexValue cv = shape.operator() == Operator.MATCH ? null : cx.compile(d, value);
            if (cv == null || cv.isConstant()) {
                check = new ClaimCheck(ClaimRule.compile(path, op, cv == null ? value : cv.constant()), null);
            } else {
                check = new ClaimCheck(shape, cv);
            }
        } catch (IllegalArgumentException e) {
            throw d.error("%s in \"%s\" directive", e.getMessage(), d.name());
        }
        JwtConf.Draft dr = cx.loc(conf);
        (header ? dr.headerChecks : dr.claimChecks).add(check);
    }

    /** {@code jwt_require $v ... [error=N]}. */
    private void require(ConfContext cx, ConfDirective d) throws ConfException {
        List<String> args = d.args();
        int status = 401;
        int n = args.size();
        for (int i = 0; i < n; i++) {
            String a = args.get(i);
            if (!a.startsWith("error=")) {
                continue;
            }
            if (i != n - 1) {
                throw d.error("\"error=\" must be the last parameter of \"%s\" directive", d.name());
            }
            status = ConfValues.number(a.substring("error=".length()));
            if (status < 400 || status > 599) {
                throw d.error("invalid error code \"%s\" in \"%s\" directive, it must be between 400 and 599",
                        a.substring("error=".length()), d.name());
            }
            n--;
        }
        if (n == 0) {
            throw d.error("no value to check in \"%s\" directive", d.name());
        }
        ComplexValue[] values = new ComplexValue[n];
        for (int i = 0; i < n; i++) {
            values[i] = cx.compile(d, args.get(i));
        }
        cx.loc(conf).requirements.add(new Requirement(values, status));
    }

    /** {@code jwt_realm <text>}. */
    private void realm(ConfContext cx, ConfDirective d) throws ConfException {
        JwtConf.Draft dr = cx.loc(conf);
        Setters.checkUnset(d, dr.realm);
        String realm = d.arg(0);
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c == 0x7f || c > 0xff) {
                throw d.error("invalid character in \"%s\" directive", d.name());
            }
        }
        dr.realm = realm;
    }

    /** {@code jwt_revocation_list_sub <file>} and {@code jwt_revocation_list_kid <file>}. */
    private void revocation(ConfContext cx, ConfDirective d, boolean sub) throws ConfException {
        Path path = cx.resolvePath(d.arg(0)).toAbsolutePath().normalize();
        JwtModule.Main m = cx.main(main);
        RevocationSource src = m.revocation.get(path);
        if (src == null) {
            src = RevocationSource.load(d, path);
            m.revocation.put(path, src);
        }
        JwtConf.Draft dr = cx.loc(conf);
        (sub ? dr.subLists : dr.kidLists).add(src);
    }
}
