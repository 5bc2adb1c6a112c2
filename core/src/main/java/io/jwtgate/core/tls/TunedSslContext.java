package io.jwtgate.core.tls;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A server's TLS context with what Netty's builder does not set: whose cipher order wins
 * ({@code ssl_prefer_server_ciphers}) and how much plain text goes into one TLS record ({@code ssl_buffer_size}).
 */
public final class TunedSslContext extends DelegatingSslContext {

    private final boolean preferServerCiphers;
    private final int bufferSize;

    public TunedSslContext(SslContext ctx, boolean preferServerCiphers, int bufferSize) {
        super(ctx);
        this.preferServerCiphers = preferServerCiphers;
        this.bufferSize = bufferSize;
    }

    @Override
    protected void initEngine(SSLEngine engine) {
        SSLParameters p = engine.getSSLParameters();
        p.setUseCipherSuitesOrder(preferServerCiphers);
        engine.setSSLParameters(p);
    }

    @Override
    protected void initHandler(SslHandler handler) {
        initEngine(handler.engine());
        handler.setWrapDataSize(bufferSize);
    }
}
