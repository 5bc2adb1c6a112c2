package io.jwtgate.staticfiles;

import io.jwtgate.core.http.ErrorContext;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.PhaseHandler;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code try_files} in the precontent phase, nginx's {@code ngx_http_try_files_handler}: the first name that exists
 * as a file (or, with a trailing {@code /}, as a directory) becomes {@code $uri} and the content phase serves it;
 * when none does, the last argument decides: an internal redirect to a URI, a named location, or a status. The names
 * are evaluated on the event loop, then looked for on a disk thread.
 */
final class TryFilesHandler implements PhaseHandler {

    private static final Logger log = LoggerFactory.getLogger("jwtgate.http");

    private final StaticModule module;

    TryFilesHandler(StaticModule module) {
        this.module = module;
    }

    /** One name evaluated: the new {@code $uri} it stands for and the file it names. */
    private record Attempt(String uri, String path, boolean directory) {
    }

    @Override
    public int handle(HttpExchange x) {
        TryFiles tf = x.conf(module.tryFiles);
        if (tf == null) {
            return PhaseHandler.DECLINED;
        }
        StaticConf c = x.conf(module.conf);
        DocRoot root = module.root(x, c);
        String uri = x.uri();
        String base = root.documentRoot(x);
        List<Attempt> attempts = new ArrayList<>(tf.files().size());
        for (TryFiles.Name n : tf.files()) {
            String name = n.value().evaluate(x);
            if (!root.alias()) {
                attempts.add(new Attempt(name, base + name, n.directory()));
            } else if (root.aliasLength() == DocRoot.WHOLE) {
                attempts.add(new Attempt(name, base + name, n.directory()));
            } else {
                // a name with variables that starts with the location's prefix has the prefix replaced by the alias
                int prefix = root.aliasLength();
                String rest = !n.value().isConstant() && prefix <= uri.length() && name.startsWith(uri.substring(0,
                        prefix)) ? name.substring(prefix) : name;
                attempts.add(new Attempt(uri.substring(0, Math.min(prefix, uri.length())) + rest, base + rest,
                        n.directory()));
            }
        }
        StaticHandler.onDisk(x, () -> search(attempts), a -> { }, result -> {
            for (String error : result.errors()) {
                log.error("{}{}", error, ErrorContext.of(x));
            }
            Attempt found = result.found();
            if (found != null) {
                use(x, root, found);
                x.resume(PhaseHandler.DECLINED);
            } else {
                fallBack(x, tf);
            }
        });
        return PhaseHandler.ASYNC;
    }

    /** What the search found ({@code null}: nothing), and the error lines to log for names that failed oddly. */
    private record Search(Attempt found, List<String> errors) {
    }

    /** Runs on a disk thread: the first attempt that exists as what it asks for. */
    private static Search search(List<Attempt> attempts) {
        List<String> errors = new ArrayList<>(0);
        for (Attempt a : attempts) {
            DiskFile f = DiskFile.look(a.path(), false);
            if (f.failed()) {
                if (f.errno() != DiskFile.ENOENT && f.errno() != DiskFile.ENOTDIR
                        && f.errno() != DiskFile.ENAMETOOLONG) {
                    errors.add("stat() \"" + a.path() + "\" failed (" + f.error() + ")");
                }
                continue;
            }
            if (f.directory() == a.directory()) {
                return new Search(a, errors);
            }
        }
        return new Search(null, errors);
    }

    private void use(HttpExchange x, DocRoot root, Attempt found) {
        if (root.alias() && root.aliasLength() == DocRoot.WHOLE) {
            if (found.directory()) {
                return; // nginx keeps the URI: the alias names the directory itself
            }
            x.set(module.addUriToAlias, Boolean.TRUE);
        }
        x.setUri(found.uri(), x.args(), false);
    }

    private void fallBack(HttpExchange x, TryFiles tf) {
        if (tf.fallback() == null) {
            x.resume(tf.code());
            return;
        }
        String target = tf.fallback().evaluate(x);
        if (target.startsWith("@")) {
            x.namedLocation(target.substring(1));
            return;
        }
        int q = target.indexOf('?');
        if (q < 0) {
            x.internalRedirect(target, null);
        } else {
            x.internalRedirect(target.substring(0, q), target.substring(q + 1));
        }
    }
}
