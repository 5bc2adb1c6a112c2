package io.jwtgate.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * TLS to upstream servers ({@code proxy_pass https://...}): one client {@link SslContext} (JDK provider) per distinct
 * set of {@code proxy_ssl_*} settings, built when the configuration loads, and a new {@link SslHandler} per upstream
 * connection with the SNI name and the host name to verify. Immutable and shared by every event loop.
 *
 * <p>Verification (on by default, unlike nginx): the JDK's PKIX validation against
 * {@code proxy_ssl_trusted_certificate} or the JDK's default trust store, the host name check ({@code HTTPS} endpoint
 * identification) against {@code proxy_ssl_name}, then {@code proxy_ssl_verify_depth} as OpenSSL counts it: at most
 * {@code depth} CA certificates between the server's certificate and the trust anchor.
 */
final class UpstreamTls {

    /**
     * The settings one context is built from; equal settings share one context.
     *
     * @param verify {@code proxy_ssl_verify} (default on)
     * @param depth {@code proxy_ssl_verify_depth} (default 1)
     * @param trusted the certificates of {@code proxy_ssl_trusted_certificate}, or {@code null} for the JDK's
     *     default trust store
     * @param protocols {@code proxy_ssl_protocols} (default TLSv1.2 TLSv1.3)
     */
    record Settings(boolean verify, int depth, List<X509Certificate> trusted, List<String> protocols) {
    }

    /** A certificate verification failure, with the reason in OpenSSL's words, as nginx logs it. */
    static final class VerifyError extends CertificateException {
        final boolean hostMismatch;

        VerifyError(String message, boolean hostMismatch, Throwable cause) {
            super(message, cause);
            this.hostMismatch = hostMismatch;
        }
    }

    private final SslContext context;
    private final boolean verify;
    /** {@code proxy_ssl_server_name}: whether SNI is sent. */
    private final boolean serverName;
    /** {@code proxy_ssl_name}, or {@code null} for the host of the {@code proxy_pass} URL. */
    private final String name;

    UpstreamTls(SslContext context, boolean verify, boolean serverName, String name) {
        this.context = context;
        this.verify = verify;
        this.serverName = serverName;
        this.name = name;
    }

    /** Builds the client context of {@code s}. Reads no file: the trusted certificates are already loaded. */
    static SslContext context(Settings s) throws GeneralSecurityException, SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(s.protocols());
        if (!s.verify()) {
            return b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build();
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (s.trusted() == null) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            try {
                ks.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            int i = 0;
            for (X509Certificate c : s.trusted()) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            tmf.init(ks);
        }
        X509ExtendedTrustManager delegate = null;
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager) {
                delegate = (X509ExtendedTrustManager) tm;
            }
        }
        if (delegate == null) {
            throw new GeneralSecurityException("no X.509 trust manager");
        }
        return b.trustManager(new Checking(delegate, s.depth())).endpointIdentificationAlgorithm("HTTPS").build();
    }

    /** The name sent as SNI and verified: {@code proxy_ssl_name}, else {@code host} (the proxy_pass host). */
    String name(String host) {
        return name != null ? name : host;
    }

    /**
     * The first handler of a new upstream connection. The handshake must complete within {@code timeoutMs}
     * (nginx counts it in {@code proxy_connect_timeout}).
     */
    SslHandler newHandler(ByteBufAllocator alloc, String sslName, int port, long timeoutMs) {
        SSLEngine engine = context.newEngine(alloc, sslName, port);
        SSLParameters p = engine.getSSLParameters();
        if (serverName && Upstreams.literal(sslName) == null && !sslName.isEmpty()) {
            p.setServerNames(List.of(new SNIHostName(sslName)));
        } else {
            p.setServerNames(List.of());
        }
        p.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
        engine.setSSLParameters(p);
        SslHandler h = new SslHandler(engine);
        h.setHandshakeTimeoutMillis(timeoutMs);
        return h;
    }

    /** The error log's reason for a failed handshake, nginx's words where it has them. */
    static String describe(Throwable cause, String sslName) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof VerifyError v) {
                return v.hostMismatch ? "upstream SSL certificate does not match \"" + sslName + "\""
                        : "upstream SSL certificate verify error: (" + v.getMessage() + ")";
            }
        }
        String m = cause.getMessage();
        return "SSL_do_handshake() failed (" + (m == null ? cause.getClass().getSimpleName() : m) + ")";
    }

    /**
     * The JDK's checks, then the chain depth; every failure becomes a {@link VerifyError} with OpenSSL's code and
     * text.
     */
    private static final class Checking extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final int depth;
        private final Set<X509Certificate> anchors = new HashSet<>();
        private final Set<X500Principal> anchorSubjects = new HashSet<>();

        Checking(X509ExtendedTrustManager delegate, int depth) {
            this.delegate = delegate;
            this.depth = depth;
            for (X509Certificate c : delegate.getAcceptedIssuers()) {
                anchors.add(c);
                anchorSubjects.add(c.getSubjectX500Principal());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verify(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verify(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(chain, () -> delegate.checkServerTrusted(chain, authType));
        }

        private interface TrustCheck {
            void run() throws CertificateException;
        }

        /** The JDK's check, its failure told in OpenSSL's words, then OpenSSL's depth limit. */
        private void verify(X509Certificate[] chain, TrustCheck check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                throw translate(chain, e);
            }
            checkDepth(chain);
        }

        /** OpenSSL's depth: the CA certificates below the trust anchor, the server's own one not counted. */
        private void checkDepth(X509Certificate[] chain) throws CertificateException {
            int intermediates = 0;
            for (int i = 0; i < chain.length; i++) {
                if (anchors.contains(chain[i])) {
                    intermediates = Math.max(0, i - 1);
                    break;
                }
                intermediates = i;
                if (anchorSubjects.contains(chain[i].getIssuerX500Principal())) {
                    break;
                }
            }
            if (intermediates > depth) {
                throw new VerifyError("22:certificate chain too long", false, null);
            }
        }

        private static VerifyError translate(X509Certificate[] chain, CertificateException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateExpiredException) {
                    return new VerifyError("10:certificate has expired", false, e);
                }
                if (t instanceof CertificateNotYetValidException) {
                    return new VerifyError("9:certificate is not yet valid", false, e);
                }
            }
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
                return new VerifyError(m, true, e);
            }
            if (chain.length == 1 && chain[0].getSubjectX500Principal().equals(chain[0].getIssuerX500Principal())) {
                return new VerifyError("18:self-signed certificate", false, e);
            }
            X509Certificate top = chain[chain.length - 1];
            if (top.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                return new VerifyError("19:self-signed certificate in certificate chain", false, e);
            }
            return new VerifyError("20:unable to get local issuer certificate", false, e);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
