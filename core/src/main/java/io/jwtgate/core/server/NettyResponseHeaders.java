package io.jwtgate.core.server;

import io.jwtgate.core.http.ResponseHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** {@link ResponseHeaders} over Netty's headers, so modules outside the network layer never see Netty types. */
final class NettyResponseHeaders implements ResponseHeaders {

    private final HttpHeaders headers;

    NettyResponseHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String get(String name) {
        return headers.get(name);
    }

    @Override
    public boolean contains(String name) {
        return headers.contains(name);
    }

    @Override
    public void add(String name, String value) {
        headers.add(name, value);
    }

    @Override
    public void set(String name, String value) {
        headers.set(name, value);
    }

    @Override
    public void remove(String name) {
        headers.remove(name);
    }
}
