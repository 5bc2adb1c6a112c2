package io.jwtgate.proxy;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.DirectiveSetter;
import io.jwtgate.core.module.Setters;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The buffering settings of a location: nginx's {@code proxy_buffering}, {@code proxy_buffers},
 * {@code proxy_buffer_size}, {@code proxy_busy_buffers_size}, {@code proxy_max_temp_file_size},
 * {@code proxy_temp_file_write_size}, {@code proxy_temp_path}, and for the request body
 * {@code proxy_request_buffering}, {@code client_body_buffer_size}, {@code client_body_temp_path},
 * {@code client_body_in_file_only}, {@code client_body_in_single_buffer}. See {@code docs/proxy.md}, "Buffering".
 *
 * @param buffering {@code proxy_buffering} (default on)
 * @param buffers the number of {@code proxy_buffers} (default 8)
 * @param bufferSize the size of one of {@code proxy_buffers} (default 4k, a page)
 * @param headBufferSize {@code proxy_buffer_size} (default 4k)
 * @param memoryLimit the bytes of a buffered response held in memory: {@code buffers * bufferSize}
 * @param busyBuffersConf {@code proxy_busy_buffers_size} as set, -1 when not (checked only: it tunes nginx's
 *     buffer chains)
 * @param maxTempFileSize {@code proxy_max_temp_file_size} (default 1024m), 0 = no temporary file
 * @param tempFileWriteConf {@code proxy_temp_file_write_size} as set, -1 when not
 * @param tempPath {@code proxy_temp_path}, or {@code null} for the JVM's temporary directory
 * @param requestBuffering {@code proxy_request_buffering} (default on)
 * @param bodyBufferSize {@code client_body_buffer_size} (default 8k, two pages)
 * @param bodyTempPath {@code client_body_temp_path}, or {@code null} for the JVM's temporary directory
 * @param bodyInFile {@code client_body_in_file_only}: {@code off}, {@code clean} or {@code on}
 */
record BufferingConf(boolean buffering, int buffers, long bufferSize, long headBufferSize, long memoryLimit,
        long busyBuffersConf, long maxTempFileSize, long tempFileWriteConf, Path tempPath, boolean requestBuffering,
        long bodyBufferSize, Path bodyTempPath, InFile bodyInFile) {

    private static final long PAGE = 4096;

    static final BufferingConf DEFAULT = new BufferingConf(true, 8, PAGE, PAGE, 8 * PAGE, -1, 1024L * 1024 * 1024,
            -1, null, true, 2 * PAGE, null, InFile.OFF);

    /** The larger of {@code proxy_buffer_size} and one of {@code proxy_buffers}: what nginx's checks compare. */
    long largestBuffer() {
        return Math.max(headBufferSize, bufferSize);
    }

    /** {@code proxy_temp_file_write_size}: the most written to the temporary file at once. */
    long tempFileWriteSize() {
        return tempFileWriteConf >= 0 ? tempFileWriteConf : 2 * largestBuffer();
    }

    /** {@code client_body_in_file_only}. */
    enum InFile {
        /** In memory up to {@code client_body_buffer_size}, then a file removed at the request's end. */
        OFF,
        /** Always a file, removed at the request's end. */
        CLEAN,
        /** Always a file, left in place (nginx's {@code on}, for whoever reads {@code $request_body_file}). */
        ON
    }

    /** A level's settings while the configuration is read; {@code null} means unset here. */
    static final class Draft {
        Boolean buffering;
        Integer buffers;
        Long bufferSize;
        Long headBufferSize;
        Long busyBuffersSize;
        Long maxTempFileSize;
        Long tempFileWriteSize;
        Path tempPath;
        Boolean requestBuffering;
        Long bodyBufferSize;
        Path bodyTempPath;
        InFile bodyInFile;
        Boolean bodyInSingleBuffer;
        /** The first sizing directive of this level: where a merge error is reported. */
        ConfDirective sizing;
    }

    /**
     * The directives, storing into the buffering part of the proxy module's drafts, which {@code draft} gives
     * (creating it).
     */
    static List<Directive> directives(LocSlot<ProxyConf.Draft, ?> slot, Function<ProxyConf.Draft, Draft> draft) {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("proxy_buffering", hsl, Arity.TAKE1, Setters.flag(slot,
                        c -> draft.apply(c).buffering, (c, v) -> draft.apply(c).buffering = v)),
                Directive.of("proxy_request_buffering", hsl, Arity.TAKE1, Setters.flag(slot,
                        c -> draft.apply(c).requestBuffering, (c, v) -> draft.apply(c).requestBuffering = v)),
                Directive.of("proxy_buffers", hsl, Arity.TAKE2, (cx, d) -> {
                    Draft c = sizing(draft.apply(cx.loc(slot)), d);
                    Setters.checkUnset(d, c.buffers);
                    int n = ConfValues.number(d.arg(0));
                    long size = ConfValues.bytes(d.arg(1));
                    if (n <= 0 || size <= 0) {
                        throw d.error("\"%s\" directive invalid value", d.name());
                    }
                    c.buffers = n;
                    c.bufferSize = size;
                }),
                Directive.of("proxy_buffer_size", hsl, Arity.TAKE1, sizing(slot, draft, Setters.bytes(slot,
                        c -> draft.apply(c).headBufferSize, (c, v) -> draft.apply(c).headBufferSize = v))),
                Directive.of("proxy_busy_buffers_size", hsl, Arity.TAKE1, sizing(slot, draft, Setters.bytes(slot,
                        c -> draft.apply(c).busyBuffersSize, (c, v) -> draft.apply(c).busyBuffersSize = v))),
                Directive.of("proxy_max_temp_file_size", hsl, Arity.TAKE1, sizing(slot, draft, Setters.bytes(slot,
                        c -> draft.apply(c).maxTempFileSize, (c, v) -> draft.apply(c).maxTempFileSize = v))),
                Directive.of("proxy_temp_file_write_size", hsl, Arity.TAKE1, sizing(slot, draft, Setters.bytes(slot,
                        c -> draft.apply(c).tempFileWriteSize, (c, v) -> draft.apply(c).tempFileWriteSize = v))),
                Directive.of("proxy_temp_path", hsl, Arity.TAKE1234, (cx, d) -> {
                    Draft c = draft.apply(cx.loc(slot));
                    Setters.checkUnset(d, c.tempPath);
                    c.tempPath = tempPath(cx, d);
                }),
                Directive.of("client_body_buffer_size", hsl, Arity.TAKE1, Setters.bytes(slot,
                        c -> draft.apply(c).bodyBufferSize, (c, v) -> draft.apply(c).bodyBufferSize = v)),
                Directive.of("client_body_temp_path", hsl, Arity.TAKE1234, (cx, d) -> {
                    Draft c = draft.apply(cx.loc(slot));
                    Setters.checkUnset(d, c.bodyTempPath);
                    c.bodyTempPath = tempPath(cx, d);
                }),
                Directive.of("client_body_in_file_only", hsl, Arity.TAKE1, Setters.oneOf(slot,
                        Map.of("off", InFile.OFF, "clean", InFile.CLEAN, "on", InFile.ON),
                        c -> draft.apply(c).bodyInFile, (c, v) -> draft.apply(c).bodyInFile = v)),
                // nginx's memory layout of $request_body: jwtgate always keeps a body in memory in one piece
                Directive.of("client_body_in_single_buffer", hsl, Arity.TAKE1, Setters.flag(slot,
                        c -> draft.apply(c).bodyInSingleBuffer, (c, v) -> draft.apply(c).bodyInSingleBuffer = v)));
    }

    /** A size directive of the response buffers: the merge, which checks them together, reports at the first. */
    private static DirectiveSetter sizing(LocSlot<ProxyConf.Draft, ?> slot, Function<ProxyConf.Draft, Draft> draft,
            DirectiveSetter plain) {
        return (cx, d) -> {
            plain.set(cx, d);
            sizing(draft.apply(cx.loc(slot)), d);
        };
    }

    private static Draft sizing(Draft c, ConfDirective d) {
        if (c.sizing == null) {
            c.sizing = d;
        }
        return c;
    }

    /**
     * nginx's {@code ngx_conf_set_path_slot}: a directory and up to three subdirectory levels (checked as nginx
     * does, not used: jwtgate keeps its few temporary files in the directory itself). The directory is created
     * (its last component, as nginx's start-up does) and must be writable.
     */
    private static Path tempPath(ConfContext cx, ConfDirective d) throws ConfException {
        int total = 0;
        for (String level : d.args().subList(1, d.args().size())) {
            int n = ConfValues.number(level);
            if (n <= 0) {
                throw d.error("\"%s\" directive invalid value", d.name());
            }
            total += n;
        }
        if (total > 10) {
            throw d.error("\"%s\" directive invalid value", d.name());
        }
        Path dir = cx.resolvePath(d.arg(0));
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // as nginx: an existing directory is fine, a file in the way fails the check below
        } catch (IOException | SecurityException e) {
            throw d.error("mkdir() \"%s\" failed (%s)", dir, Errno.describe(e));
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw d.error("temporary path \"%s\" is not a writable directory", dir);
        }
        return dir;
    }

    /** The merged settings of a level from its parent's and its draft, checked as nginx's proxy merge checks them. */
    static BufferingConf merge(BufferingConf p, Draft d) throws ConfException {
        if (d == null) {
            return p;
        }
        int buffers = d.buffers != null ? d.buffers : p.buffers;
        long bufferSize = d.bufferSize != null ? d.bufferSize : p.bufferSize;
        long head = d.headBufferSize != null ? d.headBufferSize : p.headBufferSize;
        if (buffers < 2) {
            throw error(d, "there must be at least 2 \"proxy_buffers\"");
        }
        long size = Math.max(head, bufferSize);
        String ofBuffers = "the maximum of the value of \"proxy_buffer_size\" and one of the \"proxy_buffers\"";
        long busyConf = d.busyBuffersSize != null ? d.busyBuffersSize : p.busyBuffersConf;
        long busy = busyConf >= 0 ? busyConf : 2 * size;
        if (busy < size) {
            throw error(d, "\"proxy_busy_buffers_size\" must be equal to or greater than " + ofBuffers);
        }
        if (busy > (buffers - 1) * bufferSize) {
            throw error(d, "\"proxy_busy_buffers_size\" must be less than the size of all \"proxy_buffers\" minus "
                    + "one buffer");
        }
        long writeConf = d.tempFileWriteSize != null ? d.tempFileWriteSize : p.tempFileWriteConf;
        long writeSize = writeConf >= 0 ? writeConf : 2 * size;
        if (writeSize < size) {
            throw error(d, "\"proxy_temp_file_write_size\" must be equal to or greater than " + ofBuffers);
        }
        long maxTemp = d.maxTempFileSize != null ? d.maxTempFileSize : p.maxTempFileSize;
        if (maxTemp != 0 && maxTemp < size) {
            throw error(d, "\"proxy_max_temp_file_size\" must be equal to zero to disable temporary files usage or "
                    + "must be equal to or greater than " + ofBuffers);
        }
        return new BufferingConf(
                d.buffering != null ? d.buffering : p.buffering,
                buffers, bufferSize, head, buffers * bufferSize, busyConf, maxTemp, writeConf,
                d.tempPath != null ? d.tempPath : p.tempPath,
                d.requestBuffering != null ? d.requestBuffering : p.requestBuffering,
                d.bodyBufferSize != null ? d.bodyBufferSize : p.bodyBufferSize,
                d.bodyTempPath != null ? d.bodyTempPath : p.bodyTempPath,
                d.bodyInFile != null ? d.bodyInFile : p.bodyInFile);
    }

    private static ConfException error(Draft d, String reason) {
        return d.sizing != null ? d.sizing.error(reason) : new ConfException(reason);
    }
}
