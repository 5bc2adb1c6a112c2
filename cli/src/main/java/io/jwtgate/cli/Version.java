package io.jwtgate.cli;

import io.jwtgate.core.http.Transport;
import io.jwtgate.jose.CryptoProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code -v} prints and what start-up logs: jwtgate's version, the Java runtime the socket transport and the
 * crypto providers.
 */
final class Version {

    private Version() {
    }

    /** The Maven project version, written into {@code version.properties} at build time. */
    static String jwtgate() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = p.getProperty("version");
        return v == null || v.startsWith("$") ? "unknown" : v;
    }

    /** For example {@code 17.0.15+6-Debian-1deb12u1 (Debian, OpenJDK 64-Bit Server VM)}. */
    static String java() {
        return Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")";
    }

    /** The lines of {@code jwtgate -v}. */
    static String lines(Transport transport) {
        return "jwtgate version " + jwtgate() + "\n"
                + "java " + java() + "\n"
                + "transport " + transport.name() + "\n"
                + "crypto " + CryptoProvider.preferred().describe() + "\n";
    }
}
