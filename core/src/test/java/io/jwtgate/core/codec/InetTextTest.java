package io.jwtgate.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Addresses read and written as nginx's ngx_parse_addr_port and ngx_sock_ntop; the expected text is what stock
 * nginx 1.22 put in {@code $remote_addr} and {@code $remote_port} for each value as a trusted {@code X-Real-IP}.
 */
class InetTextTest {

    @ParameterizedTest
    @CsvSource({
        "1.2.3.4,                 1.2.3.4,           0",
        "1.2.3.4:5678,            1.2.3.4,           5678",
        "1.2.3.4:080,             1.2.3.4,           80",
        "[1.2.3.4]:99,            1.2.3.4,           99",
        "[::1]:5678,              ::1,               5678",
        "::ffff:1.2.3.4,          ::ffff:1.2.3.4,    0",
        "2001:db8:0:0:1:0:0:1,    2001:db8::1:0:0:1, 0",
        "::,                      ::,                0",
        "::1.2.3.4,               ::1.2.3.4,         0",
        "::2,                     ::2,               0",
        "::0.0.1.2,               ::0.0.1.2,         0",
        "1:0:0:2:0:0:0:3,         1:0:0:2::3,        0",
        "1::,                     1::,               0",
        "FE80::A,                 fe80::a,           0",
        "1:0:2:0:3:0:4:0,         1:0:2:0:3:0:4:0,   0",
        "0:0:1:0:0:0:0:0,         0:0:1::,           0",
    })
    void readsAndWritesAsNginx(String header, String text, int port) {
        InetSocketAddress a = InetText.addressPort(header);
        assertThat(a).isNotNull();
        assertThat(InetText.text(a.getAddress())).isEqualTo(text);
        assertThat(a.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "[::1]", "[::1]:", "[::1]x80", "[::1", "1.2.3.4:0", "1.2.3.4:65536",
        "1.2.3.4:", "1.2.3.4:8x", "255.255.255.255", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4, 5.6.7.8", "fe80::1%eth0",
        "1.2.3.4:99999999999999999999", "unix:"})
    void declinesWhatNginxDeclines(String header) {
        assertThat(InetText.addressPort(header)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:1.2.3.4", "::ffff:127.0.0.1"})
    void aMappedAddressStaysIpv6(String text) {
        assertThat(InetText.address(text)).isInstanceOf(Inet6Address.class);
        assertThat(InetText.address(text).getAddress()).hasSize(16);
    }
}
