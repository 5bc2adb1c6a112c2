package io.jwtgate.gzip;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.proxy.ProxyModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** What the gzip tests share: the modules in the order the command line registers them, and gzip helpers. */
final class GzipTesting {

    private GzipTesting() {
    }

    static Supplier<List<HttpModule>> modules() {
        return () -> {
            List<HttpModule> all = new ArrayList<>(CoreModules.create());
            all.addAll(ProxyModules.create());
            GzipModule gzip = new GzipModule();
            all.add(new GunzipModule(gzip));
            all.add(gzip);
            return all;
        };
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as the client means it: decompressed when the response says gzip (a HEAD answer has none). */
    static String body(RawResponse r) {
        byte[] b = "gzip".equals(r.header("Content-Encoding")) && r.body().length > 0 ? gunzip(r.body()) : r.body();
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code request} (raw, CRLFs included) on a new connection and reads the answer. */
    static RawResponse send(int port, String request) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send(request).readResponse(request.startsWith("HEAD "));
        }
    }

    /** A JSON text of about {@code size} bytes, as an API answers. */
    static String json(int size) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; sb.length() < size - 80; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"user").append(i * 7919 % 1000)
                    .append("\",\"active\":").append(i % 3 == 0).append(",\"score\":").append(i * 31 % 977).append('}');
        }
        return sb.append(']').toString();
    }
}
