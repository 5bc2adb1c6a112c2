package io.jwtgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The running gateway's answer to {@code -s reload}: a one-line file next to the pid file ({@code <pid file>.reload}),
 * {@code <pid> <generation> <state>[ <reason>]}, which the gateway rewrites (write beside, rename) when it starts
 * ({@code <pid> 0 ok}), when a reload begins ({@code reloading}) and when it ends ({@code ok} or {@code failed} and
 * the reason). Each reload takes the next generation.
 *
 * <p>{@code -s reload} reads the file before it sends HUP and accepts only an ended reload of a later generation of
 * the same process. The gateway writes {@code reloading} before it reads the configuration, so a later generation
 * read the files after the command started: after the edit it is meant to check. Two concurrent commands report the
 * same reload or two in turn, each one that began after the command reporting it; a file left by an earlier process
 * names another pid and counts as generation 0.
 */
final class ReloadStatus {

    /** How long {@code -s reload} waits for the verdict. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    enum State { RELOADING, OK, FAILED }

    /** One line of the file. */
    record Line(long pid, long generation, State state, String reason) {

        String text() {
            return pid + " " + generation + " " + state.name().toLowerCase(Locale.ROOT)
                    + (reason == null ? "" : " " + reason.replace('\n', ' ')) + "\n";
        }

        /** The line in {@code text}, or {@code null} when it is not one (empty, half-written by hand, foreign). */
        static Line parse(String text) {
            String[] f = text.strip().split(" ", 4);
            if (f.length < 3) {
                return null;
            }
            try {
                State s = State.valueOf(f[2].toUpperCase(Locale.ROOT));
                return new Line(Long.parseLong(f[0]), Long.parseLong(f[1]), s, f.length > 3 ? f[3] : null);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private ReloadStatus() {
    }

    static Path fileFor(Path pidFile) {
        return pidFile.resolveSibling(pidFile.getFileName() + ".reload");
    }

    /** Replaces the file with {@code line} for this process; the rename means a reader never sees half a line. */
    static void write(Path file, long generation, State state, String reason) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Line line = new Line(ProcessHandle.current().pid(), generation, state, reason);
        Files.writeString(tmp, line.text(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The file's line, or {@code null} when there is none or it cannot be read. */
    static Line read(Path file) {
        try {
            return Line.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes the file if this process wrote it. */
    static void remove(Path file) {
        Line l = read(file);
        if (l != null && l.pid() == ProcessHandle.current().pid()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // another instance's now, or gone
            }
        }
    }

    /** The generation a reload asked of process {@code pid} must exceed: the file's, if {@code pid} wrote it. */
    static long baseline(Path file, long pid) {
        Line l = read(file);
        return l != null && l.pid() == pid ? l.generation() : 0;
    }

    /**
     * Waits until process {@code pid} has ended a reload of a generation after {@code baseline}.
     *
     * @return the ended reload's line ({@code ok} or {@code failed})
     * @throws IllegalStateException with the message to print when the process exits or {@code timeout} passes
     */
    static Line await(Path file, long pid, long baseline, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Line l = read(file);
            if (l != null && l.pid() == pid && l.generation() > baseline && l.state() != State.RELOADING) {
                return l;
            }
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                throw new IllegalStateException("process " + pid + " exited before it answered the reload");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no answer to the reload from process " + pid + " in "
                        + timeout.toSeconds() + "s (" + file + " not updated); see its error log");
            }
            Thread.sleep(25);
        }
    }
}
