package io.jwtgate.core.server;

import io.jwtgate.core.http.Response;
import io.jwtgate.core.http.ResponseHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** {@link ResponseHeaders} over Netty's headers, so modules outside the network layer never see Netty types. */
final class NettyResponseHeaders implements ResponseHeaders {

    private final HttpHeaders headers;
    private final IntConsumer status;

    /** {@code status} takes a filter's new status ({@link #setStatus}). */
    NettyResponseHeaders(HttpHeaders headers, IntConsumer status) {
        this.headers = headers;
        this.status = status;
    }

    @Override
    public void setStatus(int code) {
        status.accept(code);
    }

    @Override
    public String get(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        return headers.getAll(name);
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
    public void addListed(String name, String value) {
        headers.add(new Response.ListedName(name), value);
    }

    @Override
    public void set(String name, String value) {
        if (!headers.contains(name)) {
            headers.add(name, value);
            return;
        }
        List<CharSequence> names = new ArrayList<>(headers.size());
        List<CharSequence> values = new ArrayList<>(headers.size());
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            names.add(e.getKey());
            values.add(e.getValue());
        }
        headers.clear();
        boolean replaced = false;
        for (int i = 0; i < names.size(); i++) {
            CharSequence n = names.get(i);
            if (!AsciiString.contentEqualsIgnoreCase(n, name)) {
                headers.add(n, values.get(i));
            } else if (!replaced) {
                replaced = true;
                headers.add(n, value);
            }
        }
    }

    @Override
    public void remove(String name) {
        headers.remove(name);
    }
}
