package io.jwtgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwtgate.cli.TokenCommand.Failure;
import io.jwtgate.cli.TokenCommand.Json;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.KeyType;
import io.jwtgate.jose.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code token jwks}: the public keys of PEM files (public or private) as a JWKS, each JWK with {@code kid},
 * {@code alg} and {@code use: sig}, ready for {@code jwt_key_file} or an identity provider's endpoint.
 */
@Command(name = "jwks", description = "Print a JWKS of the public keys in PEM files (public or private keys).",
        sortOptions = false)
final class JwksCommand extends TokenCommand.Subcommand {

    @Parameters(paramLabel = "<pem>", arity = "1..*", description = "PEM key files: PUBLIC KEY, PRIVATE KEY, "
            + "RSA PRIVATE KEY or EC PRIVATE KEY")
    List<Path> files;
    @Option(names = "--alg", description = "alg of the JWK: once for every key, or once per file in order "
            + "(default: RS256 for RSA, ES256/ES384/ES512/ES256K by curve, EdDSA)")
    List<String> algs = new ArrayList<>();
    @Option(names = "--kid", description = "kid of the JWK, once per file in order (default: RFC 7638 thumbprint)")
    List<String> kids = new ArrayList<>();

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        if (algs.size() > 1 && algs.size() != files.size()) {
            throw new Failure("give --alg once, or once per file (" + files.size() + ")");
        }
        if (!kids.isEmpty() && kids.size() != files.size()) {
            throw new Failure("give --kid once per file (" + files.size() + "), or not at all");
        }
        List<Map<String, String>> jwks = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            SigningKey key = TokenCommand.readKey(file);
            Algorithm a = algs.isEmpty() ? key.defaultAlgorithm() : SignCommand.algorithm(algs.get(algs.size() == 1
                    ? 0 : i));
            if (!key.fits(a)) {
                throw new Failure(file + " holds " + key.describe() + ", which does not fit " + a.jwaName() + " ("
                        + a.jwaName() + " needs " + SigningKey.needs(a) + ")");
            }
            if (key.type() == KeyType.RSA && key.rsaBits() < 2048) {
                throw new Failure(file + " holds " + key.describe() + "; the gateway skips RSA keys under 2048 bits");
            }
            Map<String, String> jwk = key.publicJwk(a, kids.isEmpty() ? null : kids.get(i));
            Path before = seen.putIfAbsent(jwk.get("kid"), file);
            if (before != null) {
                throw new Failure(before + " and " + file + " have the same kid \"" + jwk.get("kid") + "\""
                        + (kids.isEmpty() ? " (the same key)" : ""));
            }
            jwks.add(jwk);
        }
        out.println(jwks(jwks));
        return Exit.OK;
    }

    /** {@code {"keys":[...]}}, indented. */
    static String jwks(List<Map<String, String>> keys) throws JsonProcessingException {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        ArrayNode array = doc.putArray("keys");
        for (Map<String, String> k : keys) {
            ObjectNode o = array.addObject();
            k.forEach(o::put);
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }
}
