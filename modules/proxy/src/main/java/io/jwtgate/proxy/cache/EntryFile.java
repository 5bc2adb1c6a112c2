package io.jwtgate.proxy.cache;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The on-disk form of an entry. Files are named and placed as nginx names them (the md5 of the key in hex, under
 * {@code levels} directories taken from the end of the name: {@code levels=1:2} puts {@code ...9c} in
 * {@code c/29/}), but the content is jwtgate's own: a magic word, the key, the validity, the status, whether it is a
 * head only, its stale windows, the headers and the body. Files are written to a temporary name and renamed, so a
 * reader never sees half an entry.
 *
 * <p>Everything here blocks: call it from the zone's I/O executor, never from an event loop.
 */
final class EntryFile {

    // "JGC3" (JGC1 had no reason phrase, JGC2 no head-only flag; their files count as absent)
    static final int MAGIC = 0x4a474333;

    private EntryFile() {
    }

    /** The md5 of the key in lower-case hex, nginx's cache file name. */
    static String hash(String key) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file of {@code hash} under {@code dir} with nginx's {@code levels} layout. */
    static Path path(Path dir, int[] levels, String hash) {
        Path p = dir;
        int end = hash.length();
        for (int n : levels) {
            p = p.resolve(hash.substring(end - n, end));
            end -= n;
        }
        return p.resolve(hash);
    }

    static byte[] encode(CacheEntry e, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(e.key());
            out.writeLong(e.validUntil());
            out.writeShort(e.status().code());
            out.writeUTF(e.status().reasonPhrase());
            out.writeBoolean(e.headOnly());
            out.writeLong(e.stale().updatingMs());
            out.writeLong(e.stale().errorMs());
            out.writeShort(e.headers().size());
            for (String[] h : e.headers()) {
                out.writeUTF(h[0]);
                out.writeUTF(h[1]);
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException ex) {
            throw new IllegalStateException(ex); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Writes the entry atomically (temporary file, then rename); creates the level directories. */
    static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + Thread.currentThread().getId());
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads an entry; with {@code withBody} false only the head (key, status, headers, validity) is read and the
     * entry's body is {@code null}. Returns {@code null} for a file that is not a whole entry.
     */
    static CacheEntry read(Path file, boolean withBody) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            long size = Files.size(file);
            if (in.readInt() != MAGIC) {
                return null;
            }
            String key = in.readUTF();
            long valid = in.readLong();
            HttpResponseStatus status = new HttpResponseStatus(in.readUnsignedShort(), in.readUTF());
            boolean headOnly = in.readBoolean();
            CacheEntry.StaleWindows stale = new CacheEntry.StaleWindows(in.readLong(), in.readLong());
            int n = in.readUnsignedShort();
            List<String[]> headers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                headers.add(new String[] {in.readUTF(), in.readUTF()});
            }
            int length = in.readInt();
            if (length < 0) {
                return null;
            }
            byte[] body = null;
            if (withBody) {
                body = in.readNBytes(length);
                if (body.length != length) {
                    return null;
                }
            }
            return new CacheEntry(key, status, List.copyOf(headers), body, length, valid, size, headOnly, stale);
        } catch (EOFException | UTFDataFormatException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
