package io.ncp.jmh;

import io.ncp.middlebox.digest.BlockDigester;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link BlockDigester} over one answer buffer of {@code size} bytes (a pooled direct buffer, as the answers read
 * from a socket are): CRC32C per 64 KiB block plus the length. Small sizes show the per-buffer overhead, large ones
 * the per-byte cost (divide the time by the size for ns/byte; {@code scripts/jmh.sh} reports MB/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DigestBenchmark {

    @Param({"128", "16384", "1048576"})
    int size;

    private ByteBuf buf;
    private BlockDigester digester;
    private long blocks;

    @Setup(Level.Trial)
    public void setUp() {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        byte[] random = new byte[size];
        ThreadLocalRandom.current().nextBytes(random);
        buf.writeBytes(random);
        digester = new BlockDigester((index, crc) -> blocks += crc);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public long digest() {
        digester.update(buf);
        return digester.total() + blocks;
    }
}
