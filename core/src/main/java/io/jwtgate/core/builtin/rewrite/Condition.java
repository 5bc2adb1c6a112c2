package io.jwtgate.core.builtin.rewrite;

import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;

/** The condition of an {@code if}, compiled ({@link IfParser}); nginx's script codes for it. */
interface Condition {

    boolean test(HttpExchange x, boolean log);

    /** A variable's value, or empty when it has none. */
    private static String valueOf(HttpExchange x, int index) {
        String v = x.variable(index);
        return v == null ? "" : v;
    }

    /** {@code if ($name)}: false when empty or {@code 0}. */
    record Truth(int index) implements Condition {
        @Override
        public boolean test(HttpExchange x, boolean log) {
            String v = valueOf(x, index);
            return !v.isEmpty() && !v.equals("0");
        }
    }

    /** {@code if ($name = value)} and {@code !=}: exact, case-sensitive comparison. */
    record Compare(int index, ComplexValue value, boolean equal) implements Condition {
        @Override
        public boolean test(HttpExchange x, boolean log) {
            return valueOf(x, index).equals(value.evaluate(x)) == equal;
        }
    }

    /** {@code if ($name ~ regex)}, {@code ~*}, {@code !~}, {@code !~*}. */
    record Match(int index, ScriptRegex regex, boolean negative) implements Condition {
        @Override
        public boolean test(HttpExchange x, boolean log) {
            return (regex.exec(x, valueOf(x, index), log) != null) != negative;
        }
    }

    /** The file tests {@code -f}, {@code -d}, {@code -e}, {@code -x}. */
    enum FileOp {
        FILE, DIR, EXISTS, EXEC
    }

    /**
     * {@code if (-f path)} and the others, with {@code !} for {@code negative}: {@code stat()} of the path, symbolic
     * links followed, as nginx's {@code ngx_open_cached_file} tests it (a link is judged by what it points to; a
     * broken one does not exist; {@code -x} is the owner's execute bit).
     */
    record FileTest(ComplexValue path, FileOp op, boolean negative) implements Condition {
        @Override
        public boolean test(HttpExchange x, boolean log) {
            String p = path.evaluate(x);
            BasicFileAttributes a = stat(x, p);
            if (a == null) {
                return negative;
            }
            boolean holds = switch (op) {
                case FILE -> a.isRegularFile();
                case DIR -> a.isDirectory();
                case EXISTS -> a.isRegularFile() || a.isDirectory();
                case EXEC -> ((PosixFileAttributes) a).permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            };
            return holds != negative;
        }

        /** The attributes, or {@code null} when the path cannot be read (logged unless it simply is not there). */
        private BasicFileAttributes stat(HttpExchange x, String p) {
            if (p.isEmpty() || p.indexOf('\0') >= 0) {
                return null;
            }
            try {
                Path file = Path.of(p);
                return op == FileOp.EXEC ? Files.readAttributes(file, PosixFileAttributes.class)
                        : Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException | NotDirectoryException | InvalidPathException e) {
                return null;
            } catch (FileSystemException e) {
                String reason = Errno.describe(e);
                if (!reason.startsWith("2:") && !reason.startsWith("20:") && !reason.startsWith("36:")) {
                    RewriteLog.crit(x, "stat() \"" + p + "\" failed (" + reason + ")");
                }
                return null;
            } catch (IOException | UnsupportedOperationException e) {
                RewriteLog.crit(x, "stat() \"" + p + "\" failed (" + Errno.describe(e) + ")");
                return null;
            }
        }
    }
}
