package io.jwtgate.cli;

import io.jwtgate.cli.TokenCommand.Failure;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.JwtValidator;
import io.jwtgate.jose.KeyFormat;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import io.jwtgate.jose.Validation;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code token verify}: the verdict the gateway would reach on the signature and the time claims, from jose's
 * {@link JwtValidator}, which runs the gateway's own validation order (docs/jwt.md#validation-order) with these keys.
 */
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
        Validation v = JwtValidator.builder().crypto(crypto).keys(keys.keySet())
                .leeway(Duration.ofSeconds(leewaySeconds)).build()
                .validate(TokenCommand.readToken(token));
        if (!v.isValid()) {
            out.println("invalid: " + v.reason().text());
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
