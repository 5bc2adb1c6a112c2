package io.jwtgate.bench;

import io.jwtgate.gzip.GzipBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * gzip's body filter on a 10 KiB JSON answer: one response compressed whole, as the core runs the filter (the body
 * offered as its last piece, the output polled from Netty's default allocator and released, the filter closed), at
 * {@code gzip_comp_level} 1 (the default) and 6. Microseconds per response (docs/gzip.md#performance).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class GzipBenchmark {

    @Param({"1", "6"})
    public int level;

    private byte[] json;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; sb.length() < 10 * 1024 - 100; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"user").append(i * 7919 % 1000)
                    .append("\",\"email\":\"user").append(i).append("@example.com\",\"active\":").append(i % 3 == 0)
                    .append(",\"score\":").append(i * 31 % 977).append('}');
        }
        json = sb.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns the compressed length, so that nothing is optimised away. */
    @Benchmark
    public int compress() throws Exception {
        GzipBody gzip = new GzipBody(level);
        int size = 0;
        try {
            gzip.offer(Unpooled.wrappedBuffer(json), true);
            for (ByteBuf out = gzip.poll(alloc); out != null; out = gzip.poll(alloc)) {
                size += out.readableBytes();
                out.release();
            }
        } finally {
            gzip.close();
        }
        return size;
    }
}
