package io.jwtgate.core.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** nginx's {@code ngx_cycle->hostname}: {@code gethostname()}, lower-cased, read once ({@code $hostname}, syslog). */
public final class HostName {

    /** The machine's name; on Linux the kernel's own file holds what {@code gethostname()} returns. */
    public static final String NAME = read();

    private HostName() {
    }

    private static String read() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
