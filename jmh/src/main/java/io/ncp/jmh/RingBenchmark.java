package io.ncp.jmh;

import io.ncp.middlebox.ring.ReplicationEvent;
import io.ncp.middlebox.ring.RingConsumer;
import io.ncp.middlebox.ring.ShardRing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A shard's {@link ShardRing}: the front loop publishes client bytes (a retained duplicate of the read buffer, as
 * {@code FrontSession} does) and the replica side polls them in a drain task. Both sides run on the benchmark thread
 * through a {@link ManualExecutor}, so the figure is the CPU cost of a hand-off, without a thread wake-up.
 *
 * <ul>
 *   <li>{@code publishPoll}: one event, then its drain (a ring that goes idle after every event: a drain task
 *   per event, the worst case);</li>
 *   <li>{@code publishBatchPoll}: {@link #BATCH} events, then one drain (a busy ring: one task per batch).</li>
 * </ul>
 * The consumer releases each buffer and touches its first byte.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBenchmark {

    static final int BATCH = 64;

    @Param({"1024", "65536"})
    int payload;

    private ManualExecutor loop;
    private ShardRing ring;
    private ByteBuf buf;
    private long consumed;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new ManualExecutor();
        ring = new ShardRing(16384, 1L << 30, loop, loop, new RingConsumer() {
            @Override
            public void onEvent(ReplicationEvent event) {
                ByteBuf data = event.data();
                if (data != null) {
                    consumed += data.getByte(data.readerIndex());
                    data.release();
                }
            }

            @Override
            public void onBatchEnd() {
                // nothing written: nothing to flush
            }
        });
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(payload);
        buf.writeZero(payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.runTasks();
        buf.release();
    }

    @Benchmark
    public void publishPoll(Blackhole bh) {
        if (!ring.tryPublishData(1, buf.retainedDuplicate())) {
            throw new IllegalStateException("ring full");
        }
        bh.consume(loop.runTasks());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publishBatchPoll(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            if (!ring.tryPublishData(1, buf.retainedDuplicate())) {
                throw new IllegalStateException("ring full");
            }
        }
        bh.consume(loop.runTasks());
        bh.consume(consumed);
    }
}
