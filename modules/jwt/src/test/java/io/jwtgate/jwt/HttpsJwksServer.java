package io.jwtgate.jwt;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jwtgate.testing.Openssl;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An identity provider for tests: an HTTPS server (the JDK's, independent of the gateway's Netty TLS) with a
 * certificate for {@code localhost} signed by a test CA made with the openssl CLI, serving a JWKS document that the
 * test may change, and counting the requests it gets.
 */
final class HttpsJwksServer implements AutoCloseable {

    static final String PATH = "/.well-known/jwks.json";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Supplier<Answer> answer;

    /** What the provider answers: status and body. */
    record Answer(int status, String body) {
    }

    private HttpsJwksServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Makes {@code ca.pem} and a localhost certificate in {@code dir}, and starts serving {@code jwks}. */
    static HttpsJwksServer start(Path dir, String jwks) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-subj", "/CN=jwtgate test CA", "-days", "2");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "idp.key", "-out", "idp.csr",
                "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl(dir, "x509", "-req", "-in", "idp.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "idp.crt", "-days", "2", "-extfile", "san.ext");
        openssl(dir, "pkcs12", "-export", "-in", "idp.crt", "-inkey", "idp.key", "-out", "idp.p12", "-passout",
                "pass:test", "-name", "idp");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("idp.p12"))) {
            ks.load(in, "test".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "test".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        HttpsJwksServer idp = new HttpsJwksServer(server, executor);
        idp.answer = () -> new Answer(200, jwks);
        server.createContext(PATH, x -> {
            idp.requests.incrementAndGet();
            try (InputStream in = x.getRequestBody()) {
                in.readAllBytes();
            }
            Answer a = idp.answer.get();
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return idp;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    void answer(int status, String body) {
        answer = () -> new Answer(status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static void openssl(Path dir, String... args) throws Exception {
        Openssl.run(dir, args);
    }
}
