package io.jwtgate.staticfiles;

import io.jwtgate.core.conf.Errno;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What opening or testing a file name found, nginx's {@code ngx_open_file_info_t}: made on a disk thread
 * ({@code DiskIo}), read on the event loop. Symbolic links are followed, as with nginx's default
 * {@code disable_symlinks off}.
 *
 * @param name the file name
 * @param errno the error number of the failed call, 0 when it succeeded
 * @param error nginx's {@code (errno: text)} of the failure, or {@code null}
 * @param directory whether it is a directory
 * @param regular whether it is a regular file
 * @param size its size in bytes
 * @param mtime its modification time in seconds since the epoch
 * @param channel the open file (only when asked to open a regular file), owned by the caller
 */
record DiskFile(String name, int errno, String error, boolean directory, boolean regular, long size, long mtime,
        FileChannel channel) {

    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;

    /** Runs on a disk thread: {@code stat} and, for a regular file when {@code open}, {@code open}. */
    static DiskFile look(String name, boolean open) {
        try {
            Path path = Path.of(name);
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            FileChannel channel = open && a.isRegularFile() ? FileChannel.open(path, StandardOpenOption.READ) : null;
            return new DiskFile(name, 0, null, a.isDirectory(), a.isRegularFile(), a.size(),
                    a.lastModifiedTime().toMillis() / 1000, channel);
        } catch (InvalidPathException e) {
            return failed(name, ENOENT, "2: No such file or directory");
        } catch (IOException e) {
            String text = Errno.describe(e);
            int colon = text.indexOf(':');
            int errno = 0;
            if (colon > 0) {
                try {
                    errno = Integer.parseInt(text.substring(0, colon));
                } catch (NumberFormatException notNumbered) {
                    errno = 0;
                }
            }
            return failed(name, errno, text);
        }
    }

    private static DiskFile failed(String name, int errno, String error) {
        return new DiskFile(name, errno, error, false, false, 0, 0, null);
    }

    boolean failed() {
        return error != null;
    }

    /** Closes the file, if open; quietly, as nothing can be done about a failed close of a read-only file. */
    static void close(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing was lost
        }
    }
}
