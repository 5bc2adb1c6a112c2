package io.jwtgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.JwsResult;
import io.jwtgate.jose.JwsSigner;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
import io.jwtgate.jose.claims.StandardClaims;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jwtgate token sign|decode|verify}: tokens for testing a configuration, made and checked with the same JOSE
 * library the gateway uses (docs/cli.md).
 */
@Command(name = "token", description = "Make, read and check JSON Web Tokens.",
        subcommands = {TokenCommand.Sign.class, TokenCommand.Decode.class, TokenCommand.Verify.class})
final class TokenCommand implements Callable<Integer> {

    /**
     * Jackson's mapper, made on first use: picocli instantiates every subcommand when the command line is set up, so
     * a plain static field would cost each gateway start ~0.1 s of Jackson start-up it never uses.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Exit.CONFIG;
    }

    /** {@code token sign}: a compact JWS on standard output. */
    @Command(name = "sign", description = "Sign a token and print it.", sortOptions = false)
    static final class Sign implements Callable<Integer> {
        @Option(names = "--alg", required = true, description = "HS256 HS384 HS512 RS256 ... ES256 ES256K EdDSA ...")
        String alg;
        @Option(names = "--secret", description = "HMAC secret (the same string as jwt_secret)")
        String secret;
        @Option(names = "--key", description = "private key file, PKCS#8 PEM (openssl genpkey writes these)")
        Path key;
        @Option(names = "--kid", description = "kid header")
        String kid;
        @Option(names = "--claims", description = "claims as a JSON object")
        String claims;
        @Option(names = "--claim", description = "one claim, name=value (value as JSON if it parses, else a string)")
        List<String> claim = new ArrayList<>();
        @Option(names = "--exp", description = "expires this long from now, e.g. 1h, 30m, -5m for an expired token")
        String exp;
        @Option(names = "--nbf", description = "not before this long from now, e.g. 10m")
        String nbf;
        @Option(names = "--no-iat", description = "leave out iat")
        boolean noIat;
        @Option(names = "--count", description = "print this many tokens, one per line, each with its own jti")
        int count = 1;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Algorithm a = Algorithm.forName(alg);
            if (a == null) {
                err.println("unknown algorithm \"" + alg + "\"");
                return Exit.CONFIG;
            }
            Key k;
            if (a.family() == Algorithm.Family.HMAC) {
                if (secret == null) {
                    err.println(alg + " needs --secret");
                    return Exit.CONFIG;
                }
                k = JwsSigner.secret(secret);
            } else {
                if (key == null) {
                    err.println(alg + " needs --key <private key file>");
                    return Exit.CONFIG;
                }
                k = JwsSigner.privateKeyPem(Files.readString(key, StandardCharsets.US_ASCII));
            }
            ObjectNode payload = claims == null ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.MAPPER.readTree(claims);
            long now = System.currentTimeMillis() / 1000;
            if (!noIat && !payload.has("iat")) {
                payload.put("iat", now);
            }
            if (exp != null) {
                payload.put("exp", now + relativeSeconds(exp));
            }
            if (nbf != null) {
                payload.put("nbf", now + relativeSeconds(nbf));
            }
            for (String c : claim) {
                int eq = c.indexOf('=');
                if (eq <= 0) {
                    err.println("--claim needs name=value, got \"" + c + "\"");
                    return Exit.CONFIG;
                }
                payload.set(c.substring(0, eq), claimValue(c.substring(eq + 1)));
            }
            if (count == 1) {
                out.println(JwsSigner.sign(a, k, kid, Json.MAPPER.writeValueAsString(payload)));
                return Exit.OK;
            }
            for (int i = 0; i < count; i++) {
                payload.put("jti", Integer.toString(i));
                out.println(JwsSigner.sign(a, k, kid, Json.MAPPER.writeValueAsString(payload)));
            }
            out.flush();
            return Exit.OK;
        }
    }

    /** {@code token decode}: header and payload, pretty, without checking anything. */
    @Command(name = "decode", description = "Print a token's header and payload (nothing is verified).")
    static final class Decode implements Callable<Integer> {
        @Parameters(paramLabel = "<token>", description = "the token, or - to read it from standard input")
        String token;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            JwsResult r = JwsParser.create().parse(read(token));
            if (!r.isOk()) {
                spec.commandLine().getErr().println("cannot decode: " + r.reason().text()
                        + (r.detail() == null ? "" : " (" + r.detail() + ")"));
                return Exit.CONFIG;
            }
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.jws().header()));
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.jws().payload()));
            out.println("(signature not verified)");
            return Exit.OK;
        }
    }

    /** {@code token verify}: the verdict the gateway would reach on the signature and the time claims. */
    @Command(name = "verify", description = "Check a token's signature, exp and nbf; print the verdict.",
            sortOptions = false)
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "<token>", description = "the token, or - to read it from standard input")
        String token;
        @Option(names = "--secret", description = "HMAC secret")
        String secret;
        @Option(names = "--key", description = "public key file")
        Path key;
        @Option(names = "--format", description = "jwks (default), keyval or pem")
        String format = "jwks";
        @Option(names = "--leeway", description = "clock skew allowed for exp and nbf, e.g. 30s")
        String leeway = "0";
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CryptoProvider crypto = CryptoProvider.preferred();
            KeySetResult keys;
            if (secret != null) {
                keys = KeySetParser.secret(secret, crypto);
            } else if (key != null) {
                byte[] doc = Files.readAllBytes(key);
                keys = switch (format) {
                    case "jwks" -> KeySetParser.jwks(doc, crypto);
                    case "keyval" -> KeySetParser.keyval(doc, crypto);
                    case "pem" -> KeySetParser.pem(doc, crypto);
                    default -> null;
                };
                if (keys == null) {
                    err.println("unknown key format \"" + format + "\": jwks, keyval or pem");
                    return Exit.CONFIG;
                }
            } else {
                err.println("verify needs --secret or --key");
                return Exit.CONFIG;
            }
            if (!keys.isOk()) {
                err.println("no usable key: " + keys.error());
                return Exit.CONFIG;
            }
            long leewaySeconds = ConfValues.seconds(leeway);
            if (leewaySeconds < 0) {
                err.println("invalid --leeway \"" + leeway + "\"");
                return Exit.CONFIG;
            }
            JwsResult r = JwsParser.create().parse(read(token));
            Reason reason = r.isOk() ? null : r.reason();
            if (reason == null) {
                Jws jws = r.jws();
                reason = SignatureVerifier.create(crypto).verify(jws, keys.keySet());
                if (reason == null) {
                    reason = StandardClaims.checkTime(jws.payload(), System.currentTimeMillis() / 1000,
                            leewaySeconds, true);
                }
            }
            if (reason != null) {
                out.println("invalid: " + reason.text());
                return Exit.CONFIG;
            }
            out.println("valid");
            return Exit.OK;
        }
    }

    static String read(String token) throws IOException {
        if (token.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        return token.trim();
    }

    /** {@code 1h}, {@code 30m}, {@code -5m}: seconds from now. */
    static long relativeSeconds(String text) {
        boolean negative = text.startsWith("-");
        long s = ConfValues.seconds(negative ? text.substring(1) : text);
        if (s < 0) {
            throw new IllegalArgumentException("invalid time \"" + text + "\"");
        }
        return negative ? -s : s;
    }

    static JsonNode claimValue(String text) {
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n != null && !n.isMissingNode()) {
                return n;
            }
        } catch (IOException notJson) {
            // a plain string
        }
        return Json.MAPPER.getNodeFactory().textNode(text);
    }
}
