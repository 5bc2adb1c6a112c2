package io.jwtgate.staticfiles;

import io.jwtgate.core.http.DiskIo;
import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.StatusPages;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.gzip.Precompressed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content handler of every location without another one, as nginx's index and static modules and its core
 * content phase: a URI ending in {@code /} is answered by its first existing {@code index} file (an internal
 * redirect) or 403; any other URI by its file, a 301 to the directory with a slash, or 404/403/405. Every
 * {@code stat} and {@code open} runs on a disk thread; the request continues on its event loop.
 */
final class StaticHandler implements PhaseHandler {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final StaticModule module;

    StaticHandler(StaticModule module) {
        this.module = module;
    }

    @Override
    public int handle(HttpExchange x) {
        String method = x.method();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            return 405;
        }
        StaticConf c = x.conf(module.conf);
        String uri = x.uri();
        if (uri.endsWith("/")) {
            index(x, c, uri);
            return PhaseHandler.OK;
        }
        String name = module.fileName(x, c, uri);
        Precompressed gz = module.gzip.precompressed(x);
        if (gz.looks()) {
            onDisk(x, () -> Lookup.of(name, gz), Lookup::release, l -> serve(x, c, gz, l));
        } else {
            onDisk(x, () -> DiskFile.look(name, true), DiskFile::release, f -> serve(x, c, f, false));
        }
        return PhaseHandler.OK;
    }

    /**
     * What {@code gzip_static} found on a disk thread: the {@code .gz} beside the file, and the file itself when
     * the {@code .gz} is not to be sent (nginx's static handler after {@code ngx_http_gzip_static_handler}
     * declined).
     */
    private record Lookup(DiskFile gz, DiskFile plain) {

        static Lookup of(String name, Precompressed mode) {
            DiskFile gz = DiskFile.look(name + ".gz", mode.sends());
            boolean sent = mode.sends() && !gz.failed() && !gz.directory();
            return new Lookup(gz, sent ? null : DiskFile.look(name, true));
        }

        void release() {
            gz.release();
            if (plain != null) {
                plain.release();
            }
        }
    }

    /** nginx's {@code ngx_http_gzip_static_handler} from the open on: the {@code .gz}, or the file after all. */
    private void serve(HttpExchange x, StaticConf c, Precompressed mode, Lookup l) {
        DiskFile gz = l.gz();
        if (gz.failed()) {
            int errno = gz.errno();
            if (errno != DiskFile.ENOENT && errno != DiskFile.ENOTDIR && errno != DiskFile.ENAMETOOLONG) {
                log.error("open() \"{}\" failed ({}){}", gz.name(), gz.error(), ErrorContext.of(x));
            }
        } else if (mode.varies()) {
            module.gzip.varies(x);
        }
        if (l.plain() == null) {
            serve(x, c, gz, true);
        } else {
            gz.release();
            serve(x, c, l.plain(), false);
        }
    }

    /**
     * Runs {@code work} on a disk thread and {@code then} with its result on the request's event loop, unless the
     * client went away meanwhile: then {@code release} frees the result.
     */
    static <T> void onDisk(HttpExchange x, Supplier<T> work, Consumer<T> release, Consumer<T> then) {
        boolean[] gone = {false};
        x.downstream().onClose(() -> gone[0] = true);
        DiskIo.executor().execute(() -> {
            T result = work.get();
            x.eventLoop().execute(() -> {
                if (gone[0]) {
                    release.accept(result);
                } else {
                    then.accept(result);
                }
            });
        });
    }

    /** The answer for {@code f}: if {@code gzipped}, the {@code .gz} that gzip_static found for the file asked for. */
    private void serve(HttpExchange x, StaticConf c, DiskFile f, boolean gzipped) {
        if (f.failed()) {
            x.finalizeRequest(openFailed(x, c, f));
            return;
        }
        if (f.directory()) {
            String args = x.args();
            String location = escapeUri(x.uri()) + "/" + (args == null ? "" : "?" + args);
            x.prepareResponse(301, StatusPages.page(301).withRedirect(x, location));
            x.finalizeRequest(301);
            return;
        }
        if (!f.regular()) {
            f.release();
            log.error("\"{}\" is not a regular file{}", f.name(), ErrorContext.of(x));
            x.finalizeRequest(404);
            return;
        }
        if (x.method().equals("POST")) {
            f.release();
            x.finalizeRequest(405);
            return;
        }
        FileResponse.send(x, c, f, gzipped);
    }

    /** The status for a failed {@code open}, with nginx's error line. */
    private static int openFailed(HttpExchange x, StaticConf c, DiskFile f) {
        int status = switch (f.errno()) {
            case DiskFile.ENOENT, DiskFile.ENOTDIR, DiskFile.ENAMETOOLONG -> 404;
            case DiskFile.EACCES, DiskFile.ELOOP -> 403;
            default -> 500;
        };
        if (status != 404 || c.logNotFound()) {
            log.error("open() \"{}\" failed ({}){}", f.name(), f.error(), ErrorContext.of(x));
        }
        return status;
    }

    // ---- index

    /** One {@code index} name evaluated: a file to look for in the directory, or a URI to redirect to at once. */
    private record Candidate(String name, String path, boolean absolute) {
    }

    /** What the index search decided, applied on the event loop. */
    private record IndexOutcome(String redirect, int status, String error) {
    }

    private void index(HttpExchange x, StaticConf c, String uri) {
        String dir = module.fileName(x, c, uri);
        List<Candidate> candidates = new ArrayList<>();
        for (ComplexValue v : c.index()) {
            String name = v.evaluate(x);
            candidates.add(new Candidate(name, dir + name, name.startsWith("/")));
            if (name.startsWith("/")) {
                break; // nginx redirects to it as soon as it gets there
            }
        }
        onDisk(x, () -> searchIndex(candidates, uri, dir, c.logNotFound()), o -> { }, o -> {
            if (o.error() != null) {
                log.error("{}{}", o.error(), ErrorContext.of(x));
            }
            if (o.redirect() != null) {
                x.internalRedirect(o.redirect(), x.args());
            } else {
                x.finalizeRequest(o.status());
            }
        });
    }

    /** Runs on a disk thread: nginx's {@code ngx_http_index_handler}, then its content phase's 403. */
    private static IndexOutcome searchIndex(List<Candidate> candidates, String uri, String dir, boolean logNotFound) {
        boolean dirTested = false;
        for (Candidate cand : candidates) {
            if (cand.absolute()) {
                return new IndexOutcome(cand.name(), 0, null);
            }
            DiskFile f = DiskFile.look(cand.path(), false);
            if (!f.failed()) {
                return new IndexOutcome(uri + cand.name(), 0, null);
            }
            int errno = f.errno();
            if (errno == DiskFile.ELOOP) {
                return new IndexOutcome(null, 403, null);
            }
            if (errno == DiskFile.ENOTDIR || errno == DiskFile.ENAMETOOLONG || errno == DiskFile.EACCES) {
                return indexError(cand.path(), f, logNotFound);
            }
            if (!dirTested) {
                IndexOutcome dirFailed = testDirectory(dir, cand.path(), logNotFound);
                if (dirFailed != null) {
                    return dirFailed;
                }
                dirTested = true;
            }
            if (errno != DiskFile.ENOENT) {
                return new IndexOutcome(null, 500, "stat() \"" + cand.path() + "\" failed (" + f.error() + ")");
            }
        }
        return new IndexOutcome(null, 403, "directory index of \"" + dir + "\" is forbidden");
    }

    /** {@code ngx_http_index_test_dir}: {@code null} when the directory is there (or exists but is not readable). */
    private static IndexOutcome testDirectory(String dir, String candidate, boolean logNotFound) {
        String name = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        DiskFile d = DiskFile.look(name, false);
        if (d.failed()) {
            return switch (d.errno()) {
                // nginx names the index file it was looking for, not the directory
                case DiskFile.ENOENT -> indexError(candidate, d, logNotFound);
                case DiskFile.EACCES -> null;
                case DiskFile.ELOOP -> new IndexOutcome(null, 403, null);
                default -> new IndexOutcome(null, 500, "stat() \"" + name + "\" failed (" + d.error() + ")");
            };
        }
        return d.directory() ? null : new IndexOutcome(null, 500, "\"" + name + "\" is not a directory");
    }

    private static IndexOutcome indexError(String path, DiskFile f, boolean logNotFound) {
        if (f.errno() == DiskFile.EACCES) {
            return new IndexOutcome(null, 403, "\"" + path + "\" is forbidden (" + f.error() + ")");
        }
        return new IndexOutcome(null, 404, logNotFound ? "\"" + path + "\" is not found (" + f.error() + ")" : null);
    }

    /**
     * nginx's {@code ngx_escape_uri} for a URI: controls, space, {@code #}, {@code %}, {@code ?} and bytes over
     * 0x7e (of the URI's UTF-8) as {@code %XX}.
     */
    static String escapeUri(String uri) {
        byte[] bytes = uri.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c <= ' ' || c == '#' || c == '%' || c == '?' || c >= 0x7f) {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
