package io.jwtgate.cli;

import io.jwtgate.cli.TokenCommand.Failure;
import io.jwtgate.jose.Algorithm;
import io.jwtgate.jose.SigningKey;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token keygen}: a new key pair for an algorithm (or an HMAC secret). With {@code --out} the private key goes
 * to that file, readable by its owner only, and the public JWKS to standard output; without it the private key goes
 * to standard output, as {@code openssl genpkey} does ({@code token jwks} makes the JWKS from it later).
 */
@Command(name = "keygen", description = "Make a private key (or an HMAC secret) for --alg; with --out, print the "
        + "JWKS of its public key.", sortOptions = false)
final class KeygenCommand extends TokenCommand.Subcommand {

    @Option(names = "--alg", required = true, description = "RS256 ... PS256 ... ES256 ES384 ES512 ES256K EdDSA "
            + "Ed25519 Ed448, or HS256 HS384 HS512 for a secret")
    String alg;
    @Option(names = "--out", paramLabel = "<file>", description = "write the private key (or secret) here, mode "
            + "0600, never over an existing file; print the JWKS")
    Path out;
    @Option(names = "--kid", description = "kid of the JWK (default: its RFC 7638 thumbprint)")
    String kid;
    @Option(names = "--bits", description = "RSA modulus length (default: 2048)")
    Integer bits;

    @Override
    int run(PrintWriter stdout, PrintWriter err) throws Exception {
        Algorithm a = SignCommand.algorithm(alg);
        if (a.family() == Algorithm.Family.HMAC) {
            if (kid != null || bits != null) {
                throw new Failure((kid != null ? "--kid" : "--bits") + " is for key pairs; " + a.jwaName()
                        + " makes a secret");
            }
            // as many random bytes as the hash output; base64url keeps the secret printable and quotable
            byte[] random = new byte[a.hashBytes()];
            new SecureRandom().nextBytes(random);
            emit(stdout, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n", null);
            return Exit.OK;
        }
        boolean rsa = a.family() == Algorithm.Family.RSA || a.family() == Algorithm.Family.RSA_PSS;
        if (bits != null && !rsa) {
            throw new Failure("--bits is for RSA keys; " + a.jwaName() + " keys have the size of their curve");
        }
        int modulus = bits == null ? 2048 : bits;
        if (modulus < 2048 || modulus > 8192) {
            throw new Failure("--bits must be between 2048 (the gateway's minimum) and 8192");
        }
        SigningKey key = SigningKey.generate(a, modulus);
        emit(stdout, key.privateKeyPem(), JwksCommand.jwks(List.of(key.publicJwk(a, kid))));
        return Exit.OK;
    }

    /** The secret to {@code --out} (then the JWKS, if any, to standard output), or the secret to standard output. */
    private void emit(PrintWriter stdout, String secret, String jwks) throws Exception {
        if (out == null) {
            stdout.print(secret);
            return;
        }
        // created with its final mode, so that the key is never readable by others, not even for a moment
        Files.writeString(Files.createFile(out, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))), secret, StandardCharsets.US_ASCII);
        if (jwks != null) {
            stdout.println(jwks);
        }
    }
}
