package io.jwtgate.core.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real failures, as Java and Netty report them, read back as nginx's {@code errno: strerror}. */
class ErrnoTest {

    @TempDir
    Path dir;

    @Test
    void fileErrors() throws Exception {
        assertThat(Errno.describe(catchThrowable(() -> Files.readString(dir.resolve("missing")))))
                .isEqualTo("2: No such file or directory");
        assertThat(Errno.describe(catchThrowable(() -> Files.newOutputStream(dir).close())))
                .isEqualTo("21: Is a directory");
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(Errno.describe(catchThrowable(() -> Files.createDirectory(file))))
                .isEqualTo("17: File exists");
        assertThat(Errno.describe(catchThrowable(() -> Files.writeString(file.resolve("below"), "x"))))
                .isEqualTo("20: Not a directory");
    }

    @Test
    void socketErrors() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket second = new ServerSocket()) {
            Throwable bind = catchThrowable(() -> second.bind(taken.getLocalSocketAddress()));
            assertThat(Errno.describe(bind)).isEqualTo("98: Address already in use");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Throwable refused = catchThrowable(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), 2000);
            }
        });
        assertThat(Errno.describe(refused)).isEqualTo("111: Connection refused");
    }

    @Test
    void nettyNativeMessagesAndUnknownCauses() {
        assertThat(Errno.describe(new IOException("bind(..) failed with error(-98): Address already in use")))
                .isEqualTo("98: Address already in use");
        assertThat(Errno.describe(new IOException("finishConnect(..) failed with error(-113): No route to host")))
                .isEqualTo("113: No route to host");
        assertThat(Errno.describe(new IOException(
                "connect(..) failed with error(-111): Connection refused: /127.0.0.1:32925")))
                .as("the address epoll's connect appends is not part of the cause")
                .isEqualTo("111: Connection refused");
        assertThat(Errno.describe(new IllegalStateException("wrapped", new IOException("Broken pipe"))))
                .as("a wrapper's own message, when it names no error, is kept").isEqualTo("wrapped");
        assertThat(Errno.describe(new IllegalStateException(null, new IOException("Connection reset by peer"))))
                .isEqualTo("104: Connection reset by peer");
        assertThat(Errno.describe(new IOException("something else"))).isEqualTo("something else");
        assertThat(Errno.describe(null)).isEqualTo("unknown error");
    }
}
