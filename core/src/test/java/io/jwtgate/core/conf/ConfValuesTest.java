package io.jwtgate.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfValuesTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "30, 30000",
        "30s, 30000",
        "500ms, 500",
        "1h30m, 5400000",
        "2d, 172800000",
        "1w, 604800000",
        "1M, 2592000000",
        "1y, 31536000000",
        "1y1M1w1d1h1m1s1ms, 34822861001",
        "1m5, 65000",
        "'', -1",
        "5q, -1",
        "s, -1",
        "1s1m, -1",
        "1m1m, -1",
        "1ms1, -1",
        "1ms1ms, -1",
    })
    void millisReadsNginxTimes(String value, long millis) {
        assertThat(ConfValues.millis(value)).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "1024, 1024",
        "8k, 8192",
        "8K, 8192",
        "1m, 1048576",
        "1M, 1048576",
        "2g, 2147483648",
        "'', -1",
        "k, -1",
        "1x, -1",
        "1kk, -1",
        "-1, -1",
        "1234567890123, -1",
    })
    void bytesReadsNginxSizes(String value, long bytes) {
        assertThat(ConfValues.bytes(value)).isEqualTo(bytes);
    }
}
