package io.jwtgate.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * jwtgate's name and version, as it signs its answers where nginx signs with its own: the {@code Server} header and
 * the error pages ({@code server_tokens}), {@code $nginx_version}, {@code jwtgate -v}.
 */
public final class Product {

    /** The product name: {@code Server: jwtgate} with {@code server_tokens off}. */
    public static final String NAME = "jwtgate";
    /** The Maven project version, written into {@code version.properties} at build time; {@code unknown} without. */
    public static final String VERSION = readVersion();

    private Product() {
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = Product.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version");
        return v == null || v.startsWith("$") ? "unknown" : v;
    }
}
