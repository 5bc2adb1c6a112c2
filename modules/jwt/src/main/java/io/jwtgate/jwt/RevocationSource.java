package io.jwtgate.jwt;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.conf.ErrorLogLevel;
import io.jwtgate.jose.claims.RevocationList;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One revocation file and the list currently in force. Requests read {@link #current()} (a volatile read); the
 * {@link RevocationWatcher} thread calls {@link #poll()}, which reads the file, and parses it and swaps the list
 * atomically when its content differs from the last content seen. Content, not the modification time: a file
 * replaced by one of the same size with a preserved timestamp ({@code cp -p}, {@code rsync -t}, {@code tar x}) is a
 * change too. A broken new file keeps the old list and logs an error.
 */
final class RevocationSource {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");

    private final Path path;
    private final AtomicReference<RevocationList> list;
    /** SHA-256 of the content last seen (loaded or found broken), or {@code null} while the file is unreadable. */
    private byte[] digest;

    private RevocationSource(Path path, byte[] digest, RevocationList initial) {
        this.path = path;
        this.digest = digest;
        this.list = new AtomicReference<>(initial);
    }

    /** Loads the file at start-up; a missing or bad file is a configuration error at {@code d}. */
    static RevocationSource load(ConfDirective d, Path path) throws ConfException {
        // The digest is taken before the list is read: if the file changes in between, the first poll sees content
        // that differs from the digest and reloads, instead of keeping a list older than the digest says.
        byte[] digest;
        try {
            digest = sha256(KeyFiles.readLimited(path, RevocationList.MAX_DOCUMENT_BYTES));
        } catch (IOException e) {
            digest = null; // reported by the load below
        }
        return new RevocationSource(path, digest, KeyFiles.revocationList(d, path));
    }

    Path path() {
        return path;
    }

    /** The list in force. */
    RevocationList current() {
        return list.get();
    }

    /** Reloads the file if its content changed since the last look; called on the watcher thread only. */
    void poll() {
        byte[] doc;
        try {
            doc = KeyFiles.readLimited(path, RevocationList.MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            if (digest == null) {
                return; // logged once per outage, not on every poll
            }
            if (e instanceof NoSuchFileException) {
                log.error("revocation list \"{}\" is gone; the previous list stays in force", path);
            } else {
                log.error("revocation list \"{}\" could not be read ({}); the previous list stays in force", path,
                        Errno.describe(e));
            }
            digest = null;
            return;
        }
        byte[] seen = sha256(doc);
        if (Arrays.equals(seen, digest)) {
            return;
        }
        digest = seen;
        RevocationList.Result r = RevocationList.parse(doc);
        if (!r.isOk()) {
            log.error("revocation list \"{}\" is invalid ({}); the previous list stays in force", path, r.error());
            return;
        }
        list.set(r.list());
        int n = r.list().values().size();
        log.info(ErrorLogLevel.NOTICE.marker(), "revocation list \"{}\" reloaded: {} {}", path, n,
                n == 1 ? "entry" : "entries");
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
