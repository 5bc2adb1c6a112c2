package io.jwtgate.cli;

import io.jwtgate.cli.TokenCommand.Failure;
import io.jwtgate.cli.TokenCommand.Json;
import io.jwtgate.jose.JwsParser;
import io.jwtgate.jose.JwsResult;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code token decode}: header and payload, pretty, without checking anything. */
@Command(name = "decode", description = "Print a token's header and payload (nothing is verified).")
final class DecodeCommand extends TokenCommand.Subcommand {

    @Parameters(paramLabel = "<token>", description = "the token, or - to read it from standard input")
    String token;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        JwsResult r = JwsParser.create().parse(TokenCommand.readToken(token));
        if (!r.isOk()) {
            throw new Failure("cannot decode: " + r.reason().text()
                    + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        }
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.jws().header()));
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.jws().payload()));
        out.println("(signature not verified)");
        return Exit.OK;
    }
}
