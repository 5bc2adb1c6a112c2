package io.jwtgate.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decisions of {@link Storable} that the differential tests reach only in part. */
class StorableTest {

    private static final CacheConf CONF = CacheConf.merge(null, null);

    @ParameterizedTest(name = "{0} with max {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-5      | 10                  | false",
        "bytes=10-20    | 10                  | true",
        "bytes=  12-    | 10                  | true",
        "bytes=-5       | 10                  | true",
        "BYTES=9-9      | 10                  | false",
        "items=20-30    | 10                  | false",
        "bytes=0-5      | 0                   | true",
        "bytes=99-      | 9223372036854775807 | false",
        "bytes=99999999999999999999999- | 10  | true",
    })
    void rangeDeclinedAsNginxChecksTheOffset(String range, long max, boolean declined) {
        assertThat(Storable.rangeDeclined(max, range)).isEqualTo(declined);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "max-age=60                                       | 0     | 0",
        "max-age=60, stale-while-revalidate=30            | 30000 | 30000",
        "max-age=60, stale-while-revalidate=30, stale-if-error=5 | 30000 | 5000",
        "max-age=60, stale-if-error=5                     | 0     | 5000",
        "max-age=60, stale-while-revalidate=x             | -1    | -1",
    })
    void staleWindowsFromCacheControl(String cacheControl, long updatingMs, long errorMs) {
        HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        resp.headers().add("Cache-Control", cacheControl);
        CacheEntry e = Storable.entry(CONF, "k", 0, resp, resp.headers(), Set.of(), false);
        if (updatingMs < 0) {
            assertThat(e).as("not a number: not cacheable, as nginx").isNull();
            return;
        }
        assertThat(e.stale()).isEqualTo(new CacheEntry.StaleWindows(updatingMs, errorMs));
        assertThat(e.headers()).extracting(h -> h[0]).isEqualTo(List.of("Cache-Control"));
    }
}
