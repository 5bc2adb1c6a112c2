package io.jwtgate.testing;

import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.config.ConfigLoader;
import io.jwtgate.core.config.GatewayConfig;
import io.jwtgate.core.http.Transport;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.server.HttpServer;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real gateway for tests: writes a configuration file into a temporary directory, loads it through the same
 * loader as the command line, and serves it on real sockets.
 */
public final class TestGateway implements AutoCloseable {

    private final Path dir;
    private final EventLoopGroup group;
    private final HttpServer server;
    private final Supplier<List<HttpModule>> modules;
    private GatewayConfig config;

    private TestGateway(Path dir, EventLoopGroup group, HttpServer server, Supplier<List<HttpModule>> modules,
            GatewayConfig config) {
        this.dir = dir;
        this.group = group;
        this.server = server;
        this.modules = modules;
        this.config = config;
    }

    /** Loads and serves {@code conf} (the text of nginx.conf) with the given modules. */
    public static TestGateway start(String conf, Supplier<List<HttpModule>> modules) throws Exception {
        Path dir = Files.createTempDirectory("jwtgate-test");
        return start(dir, conf, modules);
    }

    /** As {@link #start(String, Supplier)}, in a directory the test prepared (key files, includes). */
    public static TestGateway start(Path dir, String conf, Supplier<List<HttpModule>> modules) throws Exception {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        GatewayConfig cfg = new ConfigLoader(modules.get()).load(file);
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.group(cfg.main().workerProcesses(), "test-worker");
        HttpServer server = new HttpServer(transport, group);
        server.workerConnections(cfg.main().workerConnections());
        try {
            server.start(cfg.http());
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return new TestGateway(dir, group, server, modules, cfg);
    }

    /** Writes {@code conf} over the configuration file, loads it and serves it, as {@code -s reload} does. */
    public void reload(String conf) throws Exception {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        config = new ConfigLoader(modules.get()).load(file);
        server.reload(config.http());
    }

    /** The error a configuration produces, or {@code null} when it loads. */
    public static ConfException configError(String conf, Supplier<List<HttpModule>> modules) throws IOException {
        Path dir = Files.createTempDirectory("jwtgate-conf");
        return configError(dir, conf, modules);
    }

    public static ConfException configError(Path dir, String conf, Supplier<List<HttpModule>> modules)
            throws IOException {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        try {
            new ConfigLoader(modules.get()).load(file);
            return null;
        } catch (ConfException e) {
            return e;
        }
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public GatewayConfig config() {
        return config;
    }

    public HttpServer server() {
        return server;
    }

    /** The port of the first listening socket. */
    public int port() {
        return ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
    }

    /** Graceful shutdown, as {@code -s quit}. */
    public void quit() {
        server.quit(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        server.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
