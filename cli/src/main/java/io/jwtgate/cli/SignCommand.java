package io.jwtgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.cli.TokenCommand.Failure;
import io.jwtgate.cli.TokenCommand.Json;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.JwsSigner;
import io.jwtgate.jose.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code token sign}: a compact JWS on standard output. */
@Command(name = "sign", description = "Sign a token and print it.", sortOptions = false)
final class SignCommand extends TokenCommand.Subcommand {

    @Option(names = "--alg", required = true, description = "HS256 HS384 HS512 RS256 ... ES256 ES256K EdDSA ...")
    String alg;
    @Option(names = "--secret", description = "HMAC secret (the same string as jwt_secret)")
    String secret;
    @Option(names = "--key", description = "private key file, PEM: PRIVATE KEY (PKCS#8), RSA PRIVATE KEY or "
            + "EC PRIVATE KEY, as openssl writes them")
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

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        Algorithm a = algorithm(alg);
        Key k = a.family() == Algorithm.Family.HMAC ? secretKey(a) : privateKey(a);
        if (count < 1) {
            throw new Failure("--count must be at least 1");
        }
        ObjectNode payload = payload();
        long now = System.currentTimeMillis() / 1000;
        if (!noIat && !payload.has("iat")) {
            payload.put("iat", now);
        }
        if (exp != null) {
            payload.put("exp", now + relativeSeconds("--exp", exp));
        }
        if (nbf != null) {
            payload.put("nbf", now + relativeSeconds("--nbf", nbf));
        }
        for (String c : claim) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw new Failure("--claim needs name=value, got \"" + c + "\"");
            }
            payload.set(c.substring(0, eq), claimValue(c.substring(eq + 1)));
        }
        for (int i = 0; i < count; i++) {
            if (count > 1) {
                payload.put("jti", Integer.toString(i));
            }
            out.println(JwsSigner.sign(a, k, kid, Json.MAPPER.writeValueAsString(payload)));
        }
        return Exit.OK;
    }

    /** An {@code --alg} value, or a {@link Failure} that lists the known ones. */
    static Algorithm algorithm(String name) throws Failure {
        Algorithm a = Algorithm.forName(name);
        if (a == null) {
            throw new Failure("unknown algorithm \"" + name + "\" (known: " + Arrays.stream(Algorithm.values())
                    .map(Algorithm::jwaName).collect(Collectors.joining(" ")) + ")");
        }
        return a;
    }

    private Key secretKey(Algorithm a) throws Failure {
        if (secret == null || key != null) {
            throw new Failure(a.jwaName() + " signs with --secret <secret>" + (key == null ? "" : ", not --key"));
        }
        return JwsSigner.secret(secret);
    }

    private Key privateKey(Algorithm a) throws Exception {
        if (key == null || secret != null) {
            throw new Failure(a.jwaName() + " signs with --key <private key file>"
                    + (secret == null ? "" : ", not --secret"));
        }
        SigningKey k = TokenCommand.readKey(key);
        if (k.privateKey() == null) {
            throw new Failure(key + ": a public key; signing needs the private key");
        }
        if (!k.fits(a)) {
            throw new Failure(key + " holds " + k.describe() + ", which cannot sign " + a.jwaName() + " ("
                    + a.jwaName() + " needs " + SigningKey.needs(a) + ")");
        }
        return k.privateKey();
    }

    private ObjectNode payload() throws Failure {
        if (claims == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            if (Json.MAPPER.readTree(claims) instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            throw new Failure("--claims is not JSON: " + e.getOriginalMessage());
        }
        throw new Failure("--claims must be a JSON object");
    }

    /** {@code 1h}, {@code 30m}, {@code -5m}: seconds from now. */
    static long relativeSeconds(String option, String text) throws Failure {
        boolean negative = text.startsWith("-");
        long s = ConfValues.seconds(negative ? text.substring(1) : text);
        if (s < 0) {
            throw new Failure("invalid " + option + " \"" + text + "\" (e.g. 30s, 15m, 1h, 7d, -5m)");
        }
        return negative ? -s : s;
    }

    static JsonNode claimValue(String text) {
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n != null && !n.isMissingNode()) {
                return n;
            }
        } catch (JsonProcessingException notJson) {
            // a plain string
        }
        return Json.MAPPER.getNodeFactory().textNode(text);
    }
}
