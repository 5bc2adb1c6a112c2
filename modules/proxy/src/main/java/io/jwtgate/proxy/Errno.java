package io.jwtgate.proxy;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Renders a socket or file error the way nginx logs it, {@code 111: Connection refused} or
 * {@code 2: No such file or directory}, from Java's exception. Public for the cache package.
 */
public final class Errno {

    private static final String[][] KNOWN = {
        {"connection refused", "111: Connection refused"},
        {"connection reset", "104: Connection reset by peer"},
        {"broken pipe", "32: Broken pipe"},
        {"network is unreachable", "101: Network is unreachable"},
        {"no route to host", "113: No route to host"},
        {"timed out", "110: Connection timed out"},
    };

    /** Linux's error texts, which Java's {@link FileSystemException#getReason()} carries, with their numbers. */
    private static final String[][] FILE_REASONS = {
        {"Operation not permitted", "1"},
        {"No such file or directory", "2"},
        {"Permission denied", "13"},
        {"File exists", "17"},
        {"Not a directory", "20"},
        {"Is a directory", "21"},
        {"No space left on device", "28"},
        {"Read-only file system", "30"},
        {"File name too long", "36"},
        {"Directory not empty", "39"},
        {"Too many levels of symbolic links", "40"},
    };

    private Errno() {
    }

    public static String describe(Throwable cause) {
        if (cause instanceof FileSystemException f) {
            return describeFile(f);
        }
        String m = cause == null || cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        for (String[] k : KNOWN) {
            if (m.contains(k[0])) {
                return k[1];
            }
        }
        return cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    }

    /** Java names some errors by exception type alone (its message is then just the path), the others by reason. */
    private static String describeFile(FileSystemException f) {
        String reason = f instanceof NoSuchFileException ? "No such file or directory"
                : f instanceof AccessDeniedException ? "Permission denied"
                : f instanceof FileAlreadyExistsException ? "File exists"
                : f instanceof NotDirectoryException ? "Not a directory"
                : f instanceof DirectoryNotEmptyException ? "Directory not empty"
                : f.getReason();
        if (reason == null) {
            return "unknown error";
        }
        for (String[] k : FILE_REASONS) {
            if (reason.startsWith(k[0])) {
                return k[1] + ": " + k[0];
            }
        }
        return reason;
    }
}
