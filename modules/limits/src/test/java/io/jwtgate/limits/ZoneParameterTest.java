package io.jwtgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code zone=name:size} as nginx reads it; the wording of its errors is compared with nginx's elsewhere. */
class ZoneParameterTest {

    @ParameterizedTest
    @CsvSource({"zone=one:32k, one, 32768", "zone=one:32768, one, 32768", "zone=a:b:1M, a, -1", "zone=x:1m, x, 1048576",
        "zone=x:40K, x, 40960", "zone=:1m, '', 1048576"})
    void readsNameAndSize(String arg, String name, long size) throws ConfException {
        if (size < 0) {
            assertThatThrownBy(() -> parse(arg)).hasMessageStartingWith("invalid zone size \"" + arg + "\"");
            return;
        }
        assertThat(parse(arg)).isEqualTo(new ZoneParameter(name, size));
    }

    @ParameterizedTest
    @CsvSource({"zone=one, invalid zone size", "zone=one:, invalid zone size", "zone=one:1g, invalid zone size",
        "zone=one:k, invalid zone size", "zone=one:99999999999999999999, invalid zone size",
        "zone=one:9999999999999m, invalid zone size", "zone=one:32767, is too small", "zone=one:0, is too small"})
    void refusesWhatNginxRefuses(String arg, String error) {
        assertThatThrownBy(() -> parse(arg)).isInstanceOf(ConfException.class).hasMessageContaining(error)
                .hasMessageContaining("\"" + arg + "\"");
    }

    private static ZoneParameter parse(String arg) throws ConfException {
        return ZoneParameter.parse(new ConfDirective("limit_req_zone", List.of("$a", arg, "rate=1r/s"), null,
                "t.conf", 1), arg);
    }
}
