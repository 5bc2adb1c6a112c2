package io.jwtgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The {@code pid} file: written at start-up, removed on exit, read by {@code -s}. Messages use nginx's words. */
final class PidFile {

    private PidFile() {
    }

    /** Writes this process's id and a newline, as nginx does. */
    static void write(Path file) throws IOException {
        // written beside and renamed, so that a reader (-s, a supervisor) never sees an empty or partial file
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the file if it still holds this process's id (another instance may have taken it over). */
    static void remove(Path file) {
        try {
            if (read(file) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | IllegalStateException e) {
            // gone or replaced: nothing of ours to remove
        }
    }

    /**
     * Reads a process id.
     *
     * @throws IllegalStateException with the message to print when the file is missing or holds no number
     */
    static long read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("open() \"" + file + "\" failed (2: No such file or directory)");
        }
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("invalid PID number \"" + text + "\" in \"" + file + "\"");
    }
}
