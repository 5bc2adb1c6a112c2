package io.jwtgate.core.server;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A part of a file written with {@code sendfile(2)}. Unlike Netty's {@link DefaultFileRegion} it leaves the file
 * open when it is released: the content handler owns the file, which a multipart range response sends several
 * parts of.
 */
final class FileSegment extends DefaultFileRegion {

    private final FileChannel file;

    FileSegment(FileChannel file, long position, long count) {
        super(file, position, count);
        this.file = file;
    }

    /** {@code count} bytes of this segment from {@code offset} in it, as a segment of their own. */
    FileSegment part(long offset, long count) {
        return new FileSegment(file, position() + offset, count);
    }

    @Override
    protected void deallocate() {
        // the file stays open: its owner closes it when the request ends
    }
}
