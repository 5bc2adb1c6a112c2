package io.jwtgate.testing;

import io.jwtgate.core.http.Product;
import io.jwtgate.core.module.HttpModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stock nginx and jwtgate running the same {@code http} block, each on a free port of its own, for differential
 * tests. Skips the test (an assumption) where nginx is not installed; CI installs it.
 */
public final class SideBySide implements AutoCloseable {

    private final StockNginx nginx;
    private final int nginxPort;
    private final TestGateway gateway;

    private SideBySide(StockNginx nginx, int nginxPort, TestGateway gateway) {
        this.nginx = nginx;
        this.nginxPort = nginxPort;
        this.gateway = gateway;
    }

    /** Starts both; {@code httpBlock} gives the content of {@code http { }} for a listen port. */
    public static SideBySide start(IntFunction<String> httpBlock, Supplier<List<HttpModule>> modules)
            throws Exception {
        StockNginx.assumeAvailable();
        int port = TestGateway.freePort();
        StockNginx nginx = StockNginx.start(httpBlock.apply(port), port);
        try {
            int gatewayPort = TestGateway.freePort();
            return new SideBySide(nginx, port,
                    TestGateway.start("http {\n" + httpBlock.apply(gatewayPort) + "\n}\n", modules));
        } catch (Exception | Error e) {
            nginx.close();
            throw e;
        }
    }

    public int nginxPort() {
        return nginxPort;
    }

    public int gatewayPort() {
        return gateway.port();
    }

    /** {@link StockNginx#errorMessages()}. */
    public List<String> nginxErrorMessages() throws IOException {
        return nginx.errorMessages();
    }

    /** {@link StockNginx#messages(String)}. */
    public List<String> nginxMessages(String level) throws IOException {
        return nginx.messages(level);
    }

    /** nginx's error log, for lines {@link StockNginx#messages(String)} cannot split (raw bytes, line breaks). */
    public Path nginxErrorLog() {
        return nginx.dir().resolve("logs/error.log");
    }

    /** A response head with what must differ masked: the {@code Server} product and the {@code Date}. */
    public static String masked(String head) {
        return head.replaceAll("(?m)^Server: .*$", "Server: *").replaceAll("(?m)^Date: .*$", "Date: *");
    }

    /**
     * jwtgate's {@code Server} header (and error page signature) where nginx's is {@code nginxServer}: with the
     * version where nginx has its own ({@code server_tokens on}), the name alone where nginx has its name alone.
     */
    public static String jwtgateServer(String nginxServer) {
        return nginxServer.startsWith("nginx/") ? Product.NAME + "/" + Product.VERSION : Product.NAME;
    }

    /**
     * A whole response as bytes (one char each), head {@linkplain #masked(String) masked}, with nginx's signature in
     * an error page replaced by jwtgate's and {@code Content-Length} made to match, so that the pages compare equal.
     */
    public static String masked(RawResponse r) {
        String head = masked(r.head());
        String body = new String(r.body(), StandardCharsets.ISO_8859_1); // the bytes, one char each
        Matcher signature = NGINX_SIGNATURE.matcher(body);
        if (signature.find()) {
            body = signature.replaceAll(m -> Matcher.quoteReplacement(
                    "<hr><center>" + jwtgateServer(m.group(1)) + "</center>"));
            head = head.replace("Content-Length: " + r.bodyLength(), "Content-Length: " + body.length());
        }
        return head + body;
    }

    private static final Pattern NGINX_SIGNATURE = Pattern.compile("<hr><center>(nginx(?:/[^<]*)?)</center>");

    @Override
    public void close() throws InterruptedException {
        try {
            gateway.close();
        } finally {
            nginx.close();
        }
    }
}
