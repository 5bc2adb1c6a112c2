package io.jwtgate.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HttpTimeTest {

    private static final DateTimeFormatter JDK =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void formatsAsTheJdkFormatsAnImfFixdate() {
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 100_000; i++) {
            long t = random.nextLong(LAST + 1);
            assertThat(HttpTime.format(t)).as("%d", t).isEqualTo(JDK.format(Instant.ofEpochSecond(t)));
        }
        for (long t : new long[] {0, 86399, 86400, 951_782_400L, 4_107_542_399L, LAST}) {
            assertThat(HttpTime.format(t)).isEqualTo(JDK.format(Instant.ofEpochSecond(t)));
            assertThat(HttpTime.parse(HttpTime.format(t))).isEqualTo(t);
        }
    }

    @Test
    void clampsTimesOutsideWhatNginxWrites() {
        assertThat(HttpTime.format(-1)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpTime.format(LAST + 1)).isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
    }
}
