package io.jwtgate.cli;

import io.jwtgate.cli.TokenCommand.Failure;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.Jws;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.JwsResult;
import io.jwtgate.jose.KeyFormat;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import io.jwtgate.jose.Reason;
import io.jwtgate.jose.SignatureVerifier;
import io.jwtgate.jose.claims.StandardClaims;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code token verify}: the verdict the gateway would reach on the signature and the time claims. */
@Command(name = "verify", description = "Check a token's signature, exp and nbf; print the verdict.",
        sortOptions = false)
final class VerifyCommand extends TokenCommand.Subcommand {

    @Parameters(paramLabel = "<token>", description = "the token, or - to read it from standard input")
    String token;
    @Option(names = "--secret", description = "HMAC secret")
    String secret;
    @Option(names = "--key", description = "public key file: JWKS, keyval or PEM, told apart by content")
    Path key;
    @Option(names = "--format", description = "jwks, keyval or pem: read --key in this format only")
    String format;
    @Option(names = "--leeway", description = "clock skew allowed for exp and nbf, e.g. 30s")
    String leeway = "0";

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        CryptoProvider crypto = CryptoProvider.preferred();
        KeySetResult keys;
        if (secret != null && key == null) {
            if (format != null) {
                throw new Failure("--format is for --key files");
            }
            keys = KeySetParser.secret(secret, crypto);
        } else if (key != null && secret == null) {
            keys = KeyFormat.load(TokenCommand.readText(key).getBytes(StandardCharsets.ISO_8859_1), format(),
                    crypto);
        } else {
            throw new Failure("verify needs --secret or --key (one of them)");
        }
        for (String w : keys.warnings()) {
            err.println("warning: " + w);
        }
        if (!keys.isOk()) {
            throw new Failure((key == null ? "--secret" : key.toString()) + ": " + keys.error());
        }
        long leewaySeconds = ConfValues.seconds(leeway);
        if (leewaySeconds < 0) {
            throw new Failure("invalid --leeway \"" + leeway + "\" (e.g. 30s)");
        }
        JwsResult r = JwsParser.create().parse(TokenCommand.readToken(token));
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

    private KeyFormat format() throws Failure {
        if (format == null) {
            return null;
        }
        for (KeyFormat f : KeyFormat.values()) {
            if (f.text().equals(format.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new Failure("unknown key format \"" + format + "\": jwks, keyval or pem");
    }
}
