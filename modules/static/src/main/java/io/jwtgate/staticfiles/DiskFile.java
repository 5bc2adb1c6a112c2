package io.jwtgate.staticfiles;

import io.jwtgate.core.conf.Errno;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * What opening or testing a file name found, nginx's {@code ngx_open_file_info_t}: made on a disk thread
 * ({@code DiskIo}), read on the event loop. Symbolic links are followed, as with nginx's default
 * {@code disable_symlinks off}.
 *
 * <p>A regular file of at most {@link #IN_MEMORY} bytes is read whole on the disk thread and closed there: its answer
 * then leaves in one {@code writev} with the head, where {@code sendfile} would cost the event loop a {@code writev},
 * a {@code sendfile} and a {@code close} (docs/static.md, "Small files").
 *
 * @param name the file name
 * @param errno the error number of the failed call, 0 when it succeeded
 * @param error nginx's {@code (errno: text)} of the failure, or {@code null}
 * @param directory whether it is a directory
 * @param regular whether it is a regular file
 * @param size its size in bytes (for a file read into memory, the bytes read)
 * @param mtime its modification time in seconds since the epoch
 * @param channel the open file (when asked to open a regular file larger than {@link #IN_MEMORY}), owned by the
 *     caller, or {@code null}
 * @param content the whole file (when asked to open a regular file of at most {@link #IN_MEMORY} bytes), owned by
 *     the caller, or {@code null}
 */
record DiskFile(String name, int errno, String error, boolean directory, boolean regular, long size, long mtime,
        FileChannel channel, ByteBuf content) {

    /**
     * The largest file read into memory: what a new connection's socket send buffer takes at once (Linux's
     * {@code tcp_wmem} default), so the bytes leave user memory with the first write.
     */
    static final int IN_MEMORY = 16 * 1024;

    private static final Set<StandardOpenOption> READ = Set.of(StandardOpenOption.READ);

    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;

    /**
     * Runs on a disk thread: {@code stat} and, for a regular file when {@code open}, {@code open} (and for a small
     * one {@code read} and {@code close}).
     */
    static DiskFile look(String name, boolean open) {
        try {
            Path path = Path.of(name);
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            long mtime = a.lastModifiedTime().toMillis() / 1000;
            if (!open || !a.isRegularFile()) {
                return new DiskFile(name, 0, null, a.isDirectory(), a.isRegularFile(), a.size(), mtime, null, null);
            }
            FileChannel channel = FileChannel.open(path, READ);
            if (a.size() > IN_MEMORY) {
                return new DiskFile(name, 0, null, false, true, a.size(), mtime, channel, null);
            }
            ByteBuf content = read(channel, (int) a.size());
            return new DiskFile(name, 0, null, false, true, content.readableBytes(), mtime, null, content);
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

    /**
     * Reads up to {@code size} bytes and closes the file: a file cut short since {@code stat} is served as it now is,
     * one grown is served as it was.
     */
    private static ByteBuf read(FileChannel channel, int size) throws IOException {
        ByteBuf content = ByteBufAllocator.DEFAULT.directBuffer(size);
        try (channel) {
            while (content.writableBytes() > 0 && content.writeBytes(channel, content.writerIndex(),
                    content.writableBytes()) > 0) {
                // until the size seen or the end of the file
            }
            return content;
        } catch (IOException | RuntimeException e) {
            content.release();
            throw e;
        }
    }

    private static DiskFile failed(String name, int errno, String error) {
        return new DiskFile(name, errno, error, false, false, 0, 0, null, null);
    }

    boolean failed() {
        return error != null;
    }

    /** Frees what this look holds: closes the file, if open, and releases the content, if read. */
    void release() {
        if (content != null) {
            content.release();
        }
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
