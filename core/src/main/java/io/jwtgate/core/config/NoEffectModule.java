package io.jwtgate.core.config;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * nginx directives that tune what the JVM does its own way: the worker's user and limits, CPU affinity, nginx's hash
 * table sizes, its open-file cache. Each is read and checked as nginx reads it (arguments, numbers, flags, a second
 * one at the same level), then listed once per configuration at notice level, by {@code -t} and at start-up, as
 * having no effect in jwtgate, with the reason (docs/configuration.md#directives-without-effect).
 */
public final class NoEffectModule extends HttpModule {

    /** How nginx checks a directive's arguments. */
    private enum Check { ANY, NUMBER, SIGNED_NUMBER, SIZE, FLAG, MILLIS, CPU_MASKS, EVENT_TYPE, FILE }

    private record Inert(String name, Set<Context> contexts, Arity arity, Check check, boolean once, String reason) {
    }

    private static final String HASHES = "jwtgate's tables size themselves (Java hash maps); nginx's hash sizes "
            + "do not apply";
    private static final String FILE_CACHE = "jwtgate opens a file for each request it serves (docs/static.md), "
            + "it keeps no cache of open files";
    private static final String FILE_READS = "files are read off the event loops by jwtgate's own threads, "
            + "in chunks of its own size, or sent with sendfile (docs/static.md#sending)";

    private static final String ONE_PROCESS = "jwtgate is one process whose acceptor hands each connection to an "
            + "event loop: there are no worker processes to share an accept lock or to accept in batches";
    private static final String POOLS = "connections and requests take their memory from Netty's pooled allocator, "
            + "which sizes itself";
    private static final String JDK_TLS = "the JDK's TLS stack sets this for the whole process, not per server: ";
    private static final String STAPLING = JDK_TLS + "OCSP stapling is -Djdk.tls.server.enableStatusRequestExtension"
            + "=true";

    private static final List<Inert> INERT = List.of(
            new Inert("user", EnumSet.of(Context.MAIN), Arity.TAKE12, Check.ANY, true,
                    "jwtgate never changes user: run it as the user it should be (systemd User=, a container's USER)"),
            new Inert("worker_rlimit_nofile", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.NUMBER, true,
                    "the open-file limit is the process's own (ulimit -n, systemd LimitNOFILE=)"),
            new Inert("worker_cpu_affinity", EnumSet.of(Context.MAIN), Arity.ONE_OR_MORE, Check.CPU_MASKS, true,
                    "the JVM places its threads itself (taskset or cgroups pin the whole process)"),
            new Inert("env", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.ANY, false,
                    "jwtgate keeps its whole environment and starts no worker processes"),
            new Inert("daemon", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.FLAG, true,
                    "jwtgate runs in the foreground: a service manager or a container runs it in the background"),
            new Inert("master_process", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.FLAG, true, ONE_PROCESS),
            new Inert("lock_file", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.ANY, true, ONE_PROCESS),
            new Inert("timer_resolution", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.MILLIS, true,
                    "the JVM reads the clock itself, cheaply, where it needs the time"),
            new Inert("worker_priority", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.SIGNED_NUMBER, true,
                    "the process's priority is set where it is started (nice, systemd Nice=)"),
            new Inert("worker_rlimit_core", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.SIZE, true,
                    "the core-file limit is the process's own (ulimit -c, systemd LimitCORE=)"),
            new Inert("working_directory", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.ANY, true,
                    "the working directory is the process's own, set where it is started"),
            new Inert("thread_pool", EnumSet.of(Context.MAIN), Arity.TAKE23, Check.ANY, false,
                    "jwtgate reads files on a small pool of its own threads (docs/static.md#sending)"),
            new Inert("pcre_jit", EnumSet.of(Context.MAIN), Arity.TAKE1, Check.FLAG, true,
                    "regular expressions are compiled by the JVM, which compiles hot code itself"),
            new Inert("multi_accept", EnumSet.of(Context.EVENTS), Arity.TAKE1, Check.FLAG, true, ONE_PROCESS),
            new Inert("accept_mutex", EnumSet.of(Context.EVENTS), Arity.TAKE1, Check.FLAG, true, ONE_PROCESS),
            new Inert("accept_mutex_delay", EnumSet.of(Context.EVENTS), Arity.TAKE1, Check.MILLIS, true,
                    ONE_PROCESS),
            new Inert("use", EnumSet.of(Context.EVENTS), Arity.TAKE1, Check.EVENT_TYPE, true,
                    "Netty's native epoll transport is used where it loads, else Java NIO (docs/configuration.md)"),
            new Inert("worker_aio_requests", EnumSet.of(Context.EVENTS), Arity.TAKE1, Check.NUMBER, true,
                    "jwtgate does no Linux AIO: file reads run on a small thread pool"),
            new Inert("debug_connection", EnumSet.of(Context.EVENTS), Arity.TAKE1, Check.ANY, false,
                    "debug logging is set for the whole process with error_log ... debug"),
            hash("types_hash_max_size", Directive.httpServerLocation()),
            hash("proxy_headers_hash_max_size", Directive.httpServerLocation()),
            hash("proxy_headers_hash_bucket_size", Directive.httpServerLocation()),
            new Inert("connection_pool_size", EnumSet.of(Context.HTTP, Context.SERVER), Arity.TAKE1, Check.SIZE, true,
                    POOLS),
            new Inert("request_pool_size", EnumSet.of(Context.HTTP, Context.SERVER), Arity.TAKE1, Check.SIZE, true,
                    POOLS),
            hash("types_hash_bucket_size", Directive.httpServerLocation()),
            hash("server_names_hash_max_size", EnumSet.of(Context.HTTP)),
            hash("server_names_hash_bucket_size", EnumSet.of(Context.HTTP)),
            hash("variables_hash_max_size", EnumSet.of(Context.HTTP)),
            hash("variables_hash_bucket_size", EnumSet.of(Context.HTTP)),
            hash("map_hash_max_size", EnumSet.of(Context.HTTP)),
            hash("map_hash_bucket_size", EnumSet.of(Context.HTTP)),
            new Inert("open_file_cache", Directive.httpServerLocation(), Arity.TAKE12, Check.ANY, true, FILE_CACHE),
            new Inert("open_file_cache_valid", Directive.httpServerLocation(), Arity.TAKE1, Check.ANY, true,
                    FILE_CACHE),
            new Inert("open_file_cache_min_uses", Directive.httpServerLocation(), Arity.TAKE1, Check.NUMBER, true,
                    FILE_CACHE),
            new Inert("open_file_cache_errors", Directive.httpServerLocation(), Arity.TAKE1, Check.FLAG, true,
                    FILE_CACHE),
            new Inert("open_file_cache_events", Directive.httpServerLocation(), Arity.TAKE1, Check.FLAG, true,
                    FILE_CACHE),
            new Inert("open_log_file_cache", Directive.httpServerLocation(), Arity.TAKE1234, Check.ANY, true,
                    "access_log paths have no variables in jwtgate (docs/configuration.md#access_log): each log file "
                    + "is opened once, when the configuration is loaded, and stays open"),
            new Inert("aio", Directive.httpServerLocation(), Arity.TAKE1, Check.ANY, true, FILE_READS),
            new Inert("aio_write", Directive.httpServerLocation(), Arity.TAKE1, Check.FLAG, true, FILE_READS),
            new Inert("directio", Directive.httpServerLocation(), Arity.TAKE1, Check.ANY, true, FILE_READS),
            new Inert("directio_alignment", Directive.httpServerLocation(), Arity.TAKE1, Check.ANY, true,
                    FILE_READS),
            new Inert("output_buffers", Directive.httpServerLocation(), Arity.TAKE2, Check.ANY, true, FILE_READS),
            new Inert("read_ahead", Directive.httpServerLocation(), Arity.TAKE1, Check.ANY, true, FILE_READS),
            new Inert("sendfile_max_chunk", Directive.httpServerLocation(), Arity.TAKE1, Check.ANY, true,
                    FILE_READS),
            new Inert("tcp_nopush", Directive.httpServerLocation(), Arity.TAKE1, Check.FLAG, true,
                    "nginx corks the socket (TCP_CORK) only around sendfile(); jwtgate writes a response's head with "
                    + "its first body bytes in one flush, which fills the packets as corking would"),
            new Inert("tcp_nodelay", Directive.httpServerLocation(), Arity.TAKE1, Check.FLAG, true,
                    "jwtgate sets TCP_NODELAY on every client connection (nginx's default, on) and writes each "
                    + "response in whole flushes; off is not applied"),
            new Inert("send_lowat", Directive.httpServerLocation(), Arity.TAKE1, Check.SIZE, true,
                    "Linux cannot set SO_SNDLOWAT, and nginx on Linux ignores it too (\"send_lowat\" is not "
                    + "supported, ignored)"),
            new Inert("subrequest_output_buffer_size", Directive.httpServerLocation(), Arity.TAKE1, Check.SIZE,
                    true, "the only subrequests that keep their response in memory are jwt_key_request's, bounded "
                    + "by the jwt module itself (docs/jwt.md)"),
            new Inert("postpone_output", Directive.httpServerLocation(), Arity.TAKE1, Check.SIZE, true,
                    "Netty writes what a response has at each flush, and jwtgate flushes a head with its first body "
                    + "bytes; there are no small writes to hold back"),
            new Inert("client_header_buffer_size", EnumSet.of(Context.HTTP, Context.SERVER), Arity.TAKE1, Check.SIZE,
                    true, "the request decoder's buffer grows as a head arrives; the limits are "
                    + "large_client_header_buffers'"),
            tls("ssl_session_tickets", Arity.TAKE1, Check.FLAG, true, JDK_TLS
                    + "session tickets are -Djdk.tls.server.enableSessionTicketExtension (on by default)"),
            tls("ssl_session_ticket_key", Arity.TAKE1, Check.FILE, false, JDK_TLS
                    + "the JDK makes and rotates its own ticket keys"),
            tls("ssl_stapling", Arity.TAKE1, Check.FLAG, true, STAPLING),
            tls("ssl_stapling_verify", Arity.TAKE1, Check.FLAG, true, STAPLING),
            tls("ssl_stapling_file", Arity.TAKE1, Check.FILE, true, STAPLING),
            tls("ssl_stapling_responder", Arity.TAKE1, Check.ANY, true, STAPLING),
            tls("ssl_trusted_certificate", Arity.TAKE1, Check.FILE, true, "it serves OCSP stapling and client "
                    + "certificates, neither of which jwtgate configures per server (" + STAPLING + ")"),
            tls("ssl_dhparam", Arity.TAKE1, Check.FILE, true, JDK_TLS + "DHE uses the RFC 7919 groups, sized by "
                    + "-Djdk.tls.ephemeralDHKeySize"),
            tls("ssl_ecdh_curve", Arity.TAKE1, Check.ANY, true, JDK_TLS + "the key-exchange groups are "
                    + "-Djdk.tls.namedGroups (by default x25519, secp256r1, secp384r1, ... as OpenSSL's auto)"));

    /** The names set at each http, server or location level, for nginx's "is duplicate". */
    private final LocSlot<Set<String>, Boolean> levels = locSlot(LocSlot.of(HashSet::new, (parent, draft) -> true));
    /** Per configuration: the main- and events-level names set, and the names already listed. */
    private final MainSlot<Seen> seen = mainSlot(MainSlot.of(Seen::new));

    private static final class Seen {
        final Set<String> main = new HashSet<>();
        final Set<String> listed = new HashSet<>();
    }

    public NoEffectModule() {
        super("no_effect");
    }

    private static Inert tls(String name, Arity arity, Check check, boolean once, String reason) {
        return new Inert(name, EnumSet.of(Context.HTTP, Context.SERVER), arity, check, once, reason);
    }

    private static Inert hash(String name, Set<Context> contexts) {
        return new Inert(name, contexts, Arity.TAKE1, Check.NUMBER, true, HASHES);
    }

    @Override
    public List<Directive> directives() {
        List<Directive> out = new ArrayList<>(INERT.size());
        for (Inert i : INERT) {
            out.add(Directive.of(i.name(), i.contexts(), i.arity(), (cx, d) -> read(cx, d, i)));
        }
        return out;
    }

    private void read(ConfContext cx, ConfDirective d, Inert i) throws ConfException {
        Seen s = cx.main(seen);
        if (i.once()) {
            // main and events occur once each: their names share one set
            Set<String> level = i.contexts().contains(Context.MAIN) || i.contexts().contains(Context.EVENTS)
                    ? s.main : cx.loc(levels);
            if (!level.add(i.name())) {
                throw d.error("\"%s\" directive is duplicate", i.name());
            }
        }
        check(d, i.check());
        if (i.check() == Check.FILE && !Files.isReadable(cx.resolvePath(d.arg(0)))) {
            // nginx reads the file at start-up and stops when it cannot
            throw d.error("cannot read \"%s\" of \"%s\"", cx.resolvePath(d.arg(0)), d.name());
        }
        if (s.listed.add(i.name())) {
            cx.notice(d, "\"" + i.name() + "\" has no effect in jwtgate: " + i.reason());
        }
    }

    /** nginx's checks: {@code ngx_conf_set_num_slot}, {@code ngx_conf_set_flag_slot}, CPU masks of 0 and 1. */
    private static void check(ConfDirective d, Check check) throws ConfException {
        switch (check) {
            case NUMBER:
                if (ConfValues.digits(d.arg(0), 18) < 0) {
                    throw d.error("\"%s\" directive invalid number", d.name());
                }
                break;
            case SIGNED_NUMBER:
                if (ConfValues.digits(d.arg(0).startsWith("-") ? d.arg(0).substring(1) : d.arg(0), 18) < 0) {
                    throw d.error("\"%s\" directive invalid number", d.name());
                }
                break;
            case SIZE:
                if (ConfValues.bytes(d.arg(0)) < 0) {
                    throw d.error("\"%s\" directive invalid value", d.name());
                }
                break;
            case FLAG:
                if (ConfValues.flag(d.arg(0)) == null) {
                    throw d.error("invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"", d.arg(0),
                            d.name());
                }
                break;
            case CPU_MASKS:
                for (String mask : d.args()) {
                    if (mask.equals("auto")) {
                        continue;
                    }
                    for (int k = 0; k < mask.length(); k++) {
                        char c = mask.charAt(k);
                        if (c != '0' && c != '1') {
                            throw d.error("invalid character \"%c\" in \"worker_cpu_affinity\"", c);
                        }
                    }
                }
                break;
            case MILLIS:
                if (ConfValues.millis(d.arg(0)) < 0) {
                    throw d.error("\"%s\" directive invalid value", d.name());
                }
                break;
            case EVENT_TYPE:
                // the only event method of nginx's Linux build that also has a meaning here
                if (!d.arg(0).equals("epoll")) {
                    throw d.error("invalid event type \"%s\"", d.arg(0));
                }
                break;
            default:
                break;
        }
    }
}
