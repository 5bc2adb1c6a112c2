package io.jwtgate.jwt;

import io.jwtgate.jose.claims.RevocationList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One revocation file and the list currently in force. Requests read {@link #current()} (a volatile read); the
 * {@link RevocationWatcher} thread calls {@link #poll()}, which re-reads the file when its modification time or size
 * changed and swaps the list atomically. A broken new file keeps the old list and logs an error.
 */
final class RevocationSource {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.jwt");

    private final Path path;
    private final AtomicReference<RevocationList> list;
    private long mtime;
    private long size;

    RevocationSource(Path path, RevocationList initial) {
        this.path = path;
        this.list = new AtomicReference<>(initial);
        stamp();
    }

    Path path() {
        return path;
    }

    /** The list in force. */
    RevocationList current() {
        return list.get();
    }

    private boolean stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            long m = a.lastModifiedTime().toMillis();
            long s = a.size();
            boolean changed = m != mtime || s != size;
            mtime = m;
            size = s;
            return changed;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reloads the file if it changed since the last look; called on the watcher thread only. */
    void poll() {
        long oldM = mtime;
        long oldS = size;
        if (!stamp()) {
            if (!Files.exists(path) && oldM != -1) {
                log.error("revocation list \"{}\" is gone; the previous list stays in force", path);
                mtime = -1;
            }
            return;
        }
        byte[] doc;
        try {
            doc = KeyFiles.readLimited(path, RevocationList.MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            log.error("revocation list \"{}\" could not be read ({}); the previous list stays in force", path,
                    KeyFiles.describe(e));
            return;
        }
        RevocationList.Result r = RevocationList.parse(doc);
        if (!r.isOk()) {
            log.error("revocation list \"{}\" is invalid ({}); the previous list stays in force", path, r.error());
            return;
        }
        list.set(r.list());
        log.info("revocation list \"{}\" reloaded: {} entries (was mtime {} size {})", path, r.list().values().size(),
                oldM, oldS);
    }
}
