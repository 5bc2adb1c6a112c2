package io.jwtgate.core.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.util.HexFormat;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * A client connection's TLS as nginx's {@code $ssl_*} variables show it: the JDK engine's session and what the
 * ClientHello offered (docs/configuration.md#tls-variables).
 */
public final class ClientTls {

    /** The connection's {@link ClientHello}, set by the handler {@link ServerTls#newHandler} gives. */
    static final AttributeKey<ClientHello> HELLO = AttributeKey.valueOf(ClientTls.class, "hello");

    private final SSLSession session;
    private final String alpn;
    private final ClientHello hello;
    private final boolean resumed;

    private ClientTls(SSLSession session, String alpn, ClientHello hello, boolean resumed) {
        this.session = session;
        this.alpn = alpn;
        this.hello = hello;
        this.resumed = resumed;
    }

    /** The TLS of {@code channel} once its handshake is done; {@code null} without one (plain HTTP on a TLS port). */
    public static ClientTls of(Channel channel) {
        SslHandler h = channel.pipeline().get(SslHandler.class);
        if (h == null || !h.handshakeFuture().isSuccess()) {
            return null;
        }
        ClientHello hello = channel.attr(HELLO).get();
        return new ClientTls(h.engine().getSession(), h.applicationProtocol(),
                hello != null ? hello : new ClientHello("", ""),
                Boolean.TRUE.equals(channel.attr(ServerFlight.RESUMED).get()));
    }

    /** {@code $ssl_protocol}: {@code TLSv1.3}, {@code TLSv1.2}, as OpenSSL names the version. */
    public String protocol() {
        return session.getProtocol();
    }

    /** {@code $ssl_cipher}: the suite under OpenSSL's name. */
    public String cipher() {
        return openSslName(session.getCipherSuite());
    }

    /** {@code $ssl_ciphers}: the suites the client offered, in its order, under OpenSSL's names. */
    public String ciphers() {
        return hello.ciphers();
    }

    /** {@code $ssl_curves}: the groups the client offered, in its order, under OpenSSL's names. */
    public String curves() {
        return hello.curves();
    }

    /**
     * {@code $ssl_curve}: the group the key exchange used, read from the server's handshake ({@link ServerFlight});
     * a resumed TLS 1.2 session's is the one it was made with; empty without one (a DHE or RSA key exchange).
     */
    public String curve() {
        return session.getValue(ServerFlight.GROUP) instanceof Integer group ? ClientHello.groupName(group) : "";
    }

    /** {@code $ssl_server_name}: the SNI name the client sent, empty without one. */
    public String serverName() {
        if (session instanceof ExtendedSSLSession e) {
            for (SNIServerName name : e.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return "";
    }

    /** {@code $ssl_session_id}: the session's id in lower-case hex, as {@code ngx_hex_dump} writes it. */
    public String sessionId() {
        return HexFormat.of().formatHex(session.getId());
    }

    /**
     * {@code $ssl_session_reused}: {@code r} when the handshake resumed a session, {@code .} otherwise, as the
     * server's handshake showed it ({@link ServerFlight}).
     */
    public String sessionReused() {
        return resumed ? "r" : ".";
    }

    /** {@code $ssl_alpn_protocol}: the protocol ALPN chose, empty without one. */
    public String alpnProtocol() {
        return alpn != null ? alpn : "";
    }

    /**
     * A JDK suite name under OpenSSL's name ({@code ECDHE-RSA-AES128-GCM-SHA256}); the TLS 1.3 ones have the same
     * name in both, and one OpenSSL does not know keeps the JDK's.
     */
    static String openSslName(String javaName) {
        String name = javaName.contains("_WITH_") ? CipherSuiteConverter.toOpenSsl(javaName, false) : null;
        return name != null ? name : javaName;
    }
}
