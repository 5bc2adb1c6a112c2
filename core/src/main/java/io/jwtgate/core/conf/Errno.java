package io.jwtgate.core.conf;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed system call's cause the way nginx prints it, {@code <errno>: <strerror>} as in
 * {@code bind() to 127.0.0.1:80 failed (98: Address already in use)}, from the Java or Netty exception that stands
 * for it. Java hides the errno: it is read from the exception type, from Netty's native message
 * ({@code bind(..) failed with error(-98): Address already in use}), or from the Linux error text; a cause none of
 * these name keeps its own message, never a class name.
 */
public final class Errno {

    /** Linux's strerror texts, lower-cased, with their numbers. */
    private static final String[][] KNOWN = {
        {"operation not permitted", "1: Operation not permitted"},
        {"no such file or directory", "2: No such file or directory"},
        {"permission denied", "13: Permission denied"},
        {"file exists", "17: File exists"},
        {"not a directory", "20: Not a directory"},
        {"is a directory", "21: Is a directory"},
        {"too many open files", "24: Too many open files"},
        {"no space left on device", "28: No space left on device"},
        {"read-only file system", "30: Read-only file system"},
        {"broken pipe", "32: Broken pipe"},
        {"file name too long", "36: File name too long"},
        {"directory not empty", "39: Directory not empty"},
        {"too many levels of symbolic links", "40: Too many levels of symbolic links"},
        {"address already in use", "98: Address already in use"},
        {"cannot assign requested address", "99: Cannot assign requested address"},
        {"network is unreachable", "101: Network is unreachable"},
        {"connection reset", "104: Connection reset by peer"},
        {"timed out", "110: Connection timed out"},
        {"connection refused", "111: Connection refused"},
        {"no route to host", "113: No route to host"},
    };

    /**
     * Netty's native transport: {@code <call>(..) failed with error(-<errno>): <strerror>}, where a failed connect
     * appends {@code : /<address>} (no strerror text has a colon).
     */
    private static final Pattern NATIVE = Pattern.compile("error\\(-(\\d+)\\): ([^:]+)");

    private Errno() {
    }

    /** {@code <errno>: <strerror>} for {@code cause}, or its message when the errno cannot be told. */
    public static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String byType = byType(cause);
        if (byType != null) {
            return byType;
        }
        String m = cause instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : cause.getMessage();
        if (m == null) {
            return cause.getCause() != null && cause.getCause() != cause ? describe(cause.getCause())
                    : "unknown error";
        }
        Matcher nat = NATIVE.matcher(m);
        if (nat.find()) {
            return nat.group(1) + ": " + nat.group(2);
        }
        String lower = m.toLowerCase(Locale.ROOT);
        for (String[] k : KNOWN) {
            if (lower.contains(k[0])) {
                return k[1];
            }
        }
        return m;
    }

    private static String byType(Throwable cause) {
        if (cause instanceof NoSuchFileException) {
            return "2: No such file or directory";
        }
        if (cause instanceof AccessDeniedException) {
            return "13: Permission denied";
        }
        if (cause instanceof FileAlreadyExistsException) {
            return "17: File exists";
        }
        if (cause instanceof NotDirectoryException) {
            return "20: Not a directory";
        }
        if (cause instanceof DirectoryNotEmptyException) {
            return "39: Directory not empty";
        }
        return null;
    }
}
