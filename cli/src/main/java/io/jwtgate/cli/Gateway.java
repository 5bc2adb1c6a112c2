package io.jwtgate.cli;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Errno;
import io.jwtgate.core.config.ConfigLoader;
import io.jwtgate.core.config.GatewayConfig;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.server.HttpServer;
import io.jwtgate.jose.CryptoProvider;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the event loops, the server, the pid file, and the control loop that turns signals into
 * reload, graceful quit and fast stop. {@code -c} and {@code demo} both run through here.
 *
 * <p>Signal handlers only queue an {@link Signals.Action}; the thread that called {@link #awaitExit()} does the
 * work, one action at a time, so a reload never overlaps a shutdown and file reads stay off the event loops.
 */
final class Gateway {

    private static final Logger log = LoggerFactory.getLogger("jwtgate");

    private final Path confFile;
    private final EventLoopGroup workers;
    private final HttpServer server;
    private final BlockingQueue<Signals.Action> actions = new LinkedBlockingQueue<>();
    private volatile Thread controlThread;
    /** The process's modules, registered once: every load and reload uses them (docs/modules.md). */
    private static final ConfigLoader LOADER = new ConfigLoader(Modules.create());
    private volatile boolean quitting;
    private GatewayConfig config;
    private boolean serving;
    /** Reloads begun so far: the generation in the {@link ReloadStatus} file. */
    private long reloads;
    private final ConfigMetrics configMetrics = new ConfigMetrics(LOADER.metrics());

    private Gateway(Path confFile, GatewayConfig config, EventLoopGroup workers, HttpServer server) {
        this.confFile = confFile;
        this.config = config;
        this.workers = workers;
        this.server = server;
    }

    /** Loads {@code file} with the process's {@link Modules}, exactly as {@code -t} does. */
    static GatewayConfig load(Path file) throws ConfException {
        return LOADER.load(file);
    }

    /** Logs a configuration's start-up messages at their levels, as far as {@code error_log} lets them through. */
    private static void logMessages(GatewayConfig config) {
        for (GatewayConfig.Message m : config.messages()) {
            m.level().at(log).log(m.text());
        }
    }

    /**
     * Starts event loops and listen sockets for a loaded configuration; logging must already be set up
     * ({@link Logging#apply}). {@link #writePidFile} comes next.
     *
     * @throws StartException when a socket cannot be bound; nothing stays started
     */
    static Gateway start(Path confFile, GatewayConfig config) throws StartException {
        logMessages(config);
        Transport transport = Transport.detect();
        int threads = config.main().workerProcesses();
        log.info(Logging.NOTICE, "crypto {}", CryptoProvider.preferred().describe());
        log.info(Logging.NOTICE, "jwtgate {} on Java {}, transport {}, {} event loop thread{}", Version.jwtgate(),
                Version.java(), transport.name(), threads, threads == 1 ? "" : "s");
        EventLoopGroup workers = transport.group(threads, "jwtgate-worker");
        HttpServer server = new HttpServer(transport, workers);
        server.workerConnections(config.main().workerConnections());
        Gateway gw = new Gateway(confFile, config, workers, server);
        try {
            if (config.http() != null) {
                server.start(config.http());
                gw.serving = true;
            } else {
                log.warn("no \"http\" block in {}: nothing to serve", confFile);
            }
        } catch (Exception e) {
            gw.shutdown(false);
            throw new StartException(startFailure(e));
        }
        return gw;
    }

    /**
     * Writes the pid file, and the {@link ReloadStatus} next to it, once the signal handlers are in place: the file
     * tells {@code -s} the gateway is ready for signals.
     *
     * @throws StartException when the pid file cannot be written; the gateway is then shut down
     */
    void writePidFile() throws StartException {
        Path file = config.main().pidFile();
        if (file == null) {
            return;
        }
        try {
            PidFile.write(file);
        } catch (IOException e) {
            shutdown(true);
            throw new StartException("open() \"" + file + "\" failed (" + Errno.describe(e) + ")");
        }
        reloadStatus(ReloadStatus.State.OK, null);
    }

    /**
     * The message for a failed {@link HttpServer#start}/{@code reload}. HttpServer words bind failures as
     * {@code bind() to <address> failed (<reason>)}, but Netty's {@code sync()} rethrows the native transport's
     * checked {@code IOException} undeclared, which that wording misses; say at least what failed.
     */
    static String startFailure(Exception e) {
        if (e instanceof RuntimeException && e.getMessage() != null) {
            return e.getMessage();
        }
        return "bind() failed (" + Errno.describe(e) + ")";
    }

    /** The addresses actually listened on. */
    List<InetSocketAddress> boundAddresses() {
        return server.boundAddresses();
    }

    /** Asks the control loop to act; safe from any thread, including signal handlers. */
    void post(Signals.Action action) {
        Thread t = controlThread;
        if (action == Signals.Action.STOP && quitting && t != null) {
            // a graceful quit is waiting for connections: cut it short; HttpServer.quit then stops at once
            t.interrupt();
        }
        actions.add(action);
    }

    /** Runs the control loop until a quit or stop has finished; returns the exit code. */
    int awaitExit() {
        controlThread = Thread.currentThread();
        try {
            while (true) {
                Signals.Action a;
                try {
                    a = actions.take();
                } catch (InterruptedException e) {
                    a = Signals.Action.STOP;
                }
                switch (a) {
                    case RELOAD:
                        reload();
                        break;
                    case REOPEN:
                        log.info(Logging.NOTICE, "reopening logs");
                        Logging.reopen();
                        server.reopen();
                        break;
                    case QUIT:
                        // worker_shutdown_timeout, or jwtgate's own bound (docs/cli.md)
                        Duration timeout = config.main().shutdownTimeout();
                        log.info(Logging.NOTICE, "graceful shutdown: waiting up to {} ms for requests in progress",
                                timeout.toMillis());
                        quitting = true;
                        server.quit(timeout);
                        Thread.interrupted(); // a STOP during the wait interrupted us; that is handled
                        shutdown(false); // quit has stopped the server already
                        return Exit.OK;
                    case STOP:
                        log.info(Logging.NOTICE, "fast shutdown");
                        shutdown(true);
                        return Exit.OK;
                    default:
                        throw new IllegalStateException(a.toString());
                }
            }
        } finally {
            controlThread = null;
        }
    }

    /**
     * Loads the file again; on any error, logs it and keeps serving the running configuration. The outcome goes to
     * the {@link ReloadStatus} file for {@code -s reload}.
     */
    private void reload() {
        reloads++;
        reloadStatus(ReloadStatus.State.RELOADING, null); // before the files are read: see ReloadStatus
        log.info(Logging.NOTICE, "reconfiguring from {}", confFile);
        String failure = reconfigure();
        if (failure != null) {
            log.error(Logging.EMERG, "{}; keeping the running configuration", failure);
        }
        reloadStatus(failure == null ? ReloadStatus.State.OK : ReloadStatus.State.FAILED, failure);
        configMetrics.reloaded(reloads, failure == null);
    }

    /** Applies the configuration file as it is now; returns {@code null}, or why it was rejected. */
    private String reconfigure() {
        GatewayConfig next;
        try {
            next = load(confFile);
        } catch (ConfException e) {
            return e.getMessage();
        }
        String logError = Logging.checkWritable(next.main());
        if (logError != null) {
            return logError;
        }
        if (next.http() == null) {
            return "no \"http\" block in " + confFile;
        }
        try {
            if (serving) {
                server.reload(next.http());
            } else {
                server.start(next.http());
                serving = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) { // includes the undeclared IOException of a failed bind, see startFailure
            return startFailure(e);
        }
        GatewayConfig old = config;
        config = next;
        server.workerConnections(next.main().workerConnections());
        if (old.main().workerProcesses() != next.main().workerProcesses()) {
            log.warn("\"worker_processes\" changed from {} to {}: takes effect after a restart",
                    old.main().workerProcesses(), next.main().workerProcesses());
        }
        if (!Objects.equals(old.main().pidFile(), next.main().pidFile())) {
            if (old.main().pidFile() != null) {
                PidFile.remove(old.main().pidFile());
                ReloadStatus.remove(ReloadStatus.fileFor(old.main().pidFile()));
            }
            if (next.main().pidFile() != null) {
                try {
                    PidFile.write(next.main().pidFile());
                } catch (IOException e) {
                    log.error("open() \"{}\" failed ({})", next.main().pidFile(), Errno.describe(e));
                }
            }
        }
        Logging.apply(next.main());
        logMessages(next);
        log.info(Logging.NOTICE, "reconfigured from {}", confFile);
        return null;
    }

    /** Writes this reload's state next to the pid file, if there is one. */
    private void reloadStatus(ReloadStatus.State state, String reason) {
        Path pidFile = config.main().pidFile();
        if (pidFile == null) {
            return;
        }
        Path file = ReloadStatus.fileFor(pidFile);
        try {
            ReloadStatus.write(file, reloads, state, reason);
        } catch (IOException e) {
            log.error("open() \"{}\" failed ({}); -s reload will not get an answer", file, Errno.describe(e));
        }
    }

    /** Closes sockets (unless a quit already did), stops the event loops and removes the pid file. */
    private void shutdown(boolean stopServer) {
        if (stopServer) {
            server.stop();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (config.main().pidFile() != null) {
            PidFile.remove(config.main().pidFile());
            ReloadStatus.remove(ReloadStatus.fileFor(config.main().pidFile()));
        }
        log.info(Logging.NOTICE, "exit");
    }

    /** The gateway could not start; the message is ready to print. */
    static final class StartException extends Exception {
        StartException(String message) {
            super(message, null, false, false);
        }
    }
}
