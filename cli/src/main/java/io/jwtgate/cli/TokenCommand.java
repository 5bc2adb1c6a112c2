package io.jwtgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jwtgate.jose.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jwtgate token sign|decode|verify|keygen|jwks}: tokens and keys for testing a configuration, made and
 * checked with the same JOSE library the gateway uses (docs/cli.md). Each subcommand is its own class; this one
 * holds what they share.
 */
@Command(name = "token", description = "Make, read and check JSON Web Tokens and their keys.",
        subcommands = {SignCommand.class, DecodeCommand.class, VerifyCommand.class, KeygenCommand.class,
            JwksCommand.class})
final class TokenCommand implements Callable<Integer> {

    /** Key and token files are small; a larger file is a mistake, refused before it is read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Exit.CONFIG;
    }

    /**
     * Jackson's mapper, made on first use: picocli instantiates every subcommand when the command line is set up, so
     * a plain static field would cost each gateway start ~0.1 s of Jackson start-up it never uses.
     */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** A mistake in the input, told to the user as it is: one line, exit 1. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What every token subcommand shares: {@code -h}/{@code --help}, and a catch-all that turns any failure, expected
     * or not, into one line on standard error and exit 1, never a stack trace.
     */
    abstract static class Subcommand implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;
        @Spec
        CommandSpec spec;

        /** Does the work; a {@link Failure}'s message is printed as it is. */
        abstract int run(PrintWriter out, PrintWriter err) throws Exception;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                int code = run(spec.commandLine().getOut(), err);
                spec.commandLine().getOut().flush();
                return code;
            } catch (Failure f) {
                err.println(f.getMessage());
            } catch (IOException e) {
                err.println(describe(e));
            } catch (Exception | StackOverflowError e) {
                // a bug or an input nobody foresaw: still one line, with enough to report it
                err.println(spec.qualifiedName() + ": unexpected error: " + oneLine(e.toString()));
            }
            err.flush();
            return Exit.CONFIG;
        }
    }

    /** An I/O failure in one line, naming the file. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return e.getMessage() + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return e.getMessage() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + ": exists, not overwritten";
        }
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /** A whole small file; Latin-1, so that no byte can make decoding fail. */
    static String readText(Path file) throws IOException, Failure {
        if (Files.isDirectory(file)) {
            throw new Failure(file + ": is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
            if (b.length > MAX_FILE_BYTES) {
                throw new Failure(file + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /** The key of a PEM file, private or public; an unreadable key is a {@link Failure} naming the file. */
    static SigningKey readKey(Path file) throws IOException, Failure {
        try {
            return SigningKey.fromPem(readText(file));
        } catch (SigningKey.Invalid e) {
            throw new Failure(file + ": " + e.getMessage());
        }
    }

    /** A token argument, or standard input for {@code -}. */
    static String readToken(String token) throws IOException {
        if (token.equals("-")) {
            return new String(System.in.readNBytes(MAX_FILE_BYTES), StandardCharsets.US_ASCII).trim();
        }
        return token.trim();
    }
}
