package io.jwtgate.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address parsing as nginx's ngx_ptocidr, ngx_inet_addr and ngx_inet6_addr. */
class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3,            0a010203, ffffffff, false",
        "10.0.0.0/8,          0a000000, ff000000, false",
        "10.0.0.1/8,          0a000000, ff000000, true",
        "0.0.0.0/0,           00000000, 00000000, false",
        "192.168.1.1/0,       00000000, 00000000, true",
        "1..2.3,              01000203, ffffffff, false",
        "010.0.0.1,           0a000001, ffffffff, false",
        "::1,                 00000000000000000000000000000001, ffffffffffffffffffffffffffffffff, false",
        "::,                  00000000000000000000000000000000, ffffffffffffffffffffffffffffffff, false",
        "2001:db8::/32,       20010db8000000000000000000000000, ffffffff000000000000000000000000, false",
        "2001:db8::1/32,      20010db8000000000000000000000000, ffffffff000000000000000000000000, true",
        "1::,                 00010000000000000000000000000000, ffffffffffffffffffffffffffffffff, false",
        "::ffff:1.2.3.4,      00000000000000000000ffff01020304, ffffffffffffffffffffffffffffffff, false",
        "1:2:3:4:5:6:7:8,     00010002000300040005000600070008, ffffffffffffffffffffffffffffffff, false",
        "1:2:3:4:5:6:1.2.3.4, 00010002000300040005000601020304, ffffffffffffffffffffffffffffffff, false",
        "FE80::A/10,          fe800000000000000000000000000000, ffc00000000000000000000000000000, true",
    })
    void parses(String text, String network, String mask, boolean hostBits) {
        Cidr c = Cidr.parse(text);
        assertThat(c).isNotNull();
        assertThat(HexFormat.of().formatHex(c.network())).isEqualTo(network);
        assertThat(HexFormat.of().formatHex(c.mask())).isEqualTo(mask);
        assertThat(c.hostBitsSet()).isEqualTo(hostBits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "10.0.0", "10.0.0.0.0", "256.0.0.1", "255.255.255.255", "10.0.0.0/33",
        "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "::1/129", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::",
        "1:2:3:4:5:6:7", ":::", "[::1]", "::1%eth0", " 10.0.0.1", "1.2.3.4::"})
    void rejects(String text) {
        assertThat(Cidr.parse(text)).isNull();
    }
}
