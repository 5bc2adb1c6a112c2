package io.jwtgate.jwt;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.jose.CryptoProvider;
import io.jwtgate.jose.KeyFormat;
import io.jwtgate.jose.KeySet;
import io.jwtgate.jose.KeySetParser;
import io.jwtgate.jose.KeySetResult;
import io.jwtgate.jose.claims.RevocationList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Static key sources and revocation lists, read at configuration time (never on an event loop). Each failure becomes
 * a {@link ConfException} located at the directive, in nginx's words: {@code open() "<path>" failed (...)} or
 * {@code invalid key file "<path>": <reason>}.
 */
final class KeyFiles {

    private KeyFiles() {
    }

    /** {@code jwt_secret "<secret>"}: an HMAC key of the UTF-8 bytes; a short secret draws a warning. */
    static KeySet secret(ConfContext cx, ConfDirective d, String secret, CryptoProvider crypto)
            throws ConfException {
        if (secret.isEmpty()) {
            throw d.error("empty secret in \"%s\" directive", d.name());
        }
        KeySetResult r = KeySetParser.secret(secret, crypto);
        for (String w : r.warnings()) {
            cx.warn(d, "jwt_secret: " + w);
        }
        if (!r.isOk()) {
            throw d.error("invalid secret in \"%s\" directive: %s", d.name(), r.error());
        }
        return r.keySet();
    }

    /**
     * {@code jwt_key_file <path> [format]}: without a format the content decides ({@link KeyFormat#load}); every
     * skipped key is a warning; no usable key is an error.
     */
    static KeySet keyFile(ConfContext cx, ConfDirective d, Path path, KeyFormat format, CryptoProvider crypto)
            throws ConfException {
        byte[] doc = read(d, path, KeySetParser.MAX_DOCUMENT_BYTES);
        KeySetResult r = KeyFormat.load(doc, format, crypto);
        for (String w : r.warnings()) {
            cx.warn(d, "key file \"" + path + "\": " + w);
        }
        if (!r.isOk()) {
            throw d.error("invalid key file \"%s\": %s", path, r.error());
        }
        return r.keySet();
    }

    /** Loads a revocation list at start-up; a bad file is a configuration error. */
    static RevocationList revocationList(ConfDirective d, Path path) throws ConfException {
        byte[] doc = read(d, path, RevocationList.MAX_DOCUMENT_BYTES);
        RevocationList.Result r = RevocationList.parse(doc);
        if (!r.isOk()) {
            throw d.error("invalid revocation list \"%s\": %s", path, r.error());
        }
        return r.list();
    }

    /**
     * Reads at most {@code limit + 1} bytes, so that an oversized file is reported by the parser's size check without
     * being read whole.
     */
    static byte[] read(ConfDirective d, Path path, int limit) throws ConfException {
        try {
            return readLimited(path, limit);
        } catch (IOException e) {
            throw d.error("open() \"%s\" failed (%s)", path, Errno.describe(e));
        }
    }

    static byte[] readLimited(Path path, int limit) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException("Is a directory");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(limit + 1);
        }
    }
}
