package io.jwtgate.cli;

import io.jwtgate.core.http.Product;
import io.jwtgate.core.http.Transport;
import io.jwtgate.jose.CryptoProvider;

/**
 * What {@code -v} prints and what start-up logs: jwtgate's version, the Java runtime the socket transport and the
 * crypto providers.
 */
final class Version {

    private Version() {
    }

    /** The Maven project version. */
    static String jwtgate() {
        return Product.VERSION;
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
