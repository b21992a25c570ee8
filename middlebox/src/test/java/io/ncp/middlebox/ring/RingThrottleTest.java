package io.ncp.middlebox.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RingThrottle} on a real {@link ShardRing} between two real event loops, the consumer loop held busy (a
 * stalled replica side): a pause is released once the consumer drains the ring, never before; a spell that outlasts
 * its bound lets the clients read again, and pauses resume once the ring is under a quarter.
 */
@ExtendWith(NettyLeakExtension.class)
class RingThrottleTest {

    private static final int CHUNK = 1024;

    private EventLoop producer;
    private EventLoop consumer;

    @BeforeEach
    void loops() {
        producer = new DefaultEventLoop();
        consumer = new DefaultEventLoop();
    }

    @AfterEach
    void stop() {
        producer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        consumer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final RingConsumer RELEASING = new RingConsumer() {
        @Override
        public void onEvent(ReplicationEvent event) {
            if (event.data() != null) {
                event.data().release();
            }
        }

        @Override
        public void onBatchEnd() {
        }
    };

    /** Publishes chunks until the throttle says over (on the producer loop). */
    private static int fill(ShardRing ring, RingThrottle t) {
        int n = 0;
        while (!t.over()) {
            assertThat(ring.tryPublishData(1, Unpooled.buffer(CHUNK).writeZero(CHUNK))).isTrue();
            n++;
        }
        return n;
    }

    @Test
    void aPauseEndsOnlyWhenTheConsumerDrainedTheRing() throws Exception {
        ShardRing ring = new ShardRing(64, 16 * CHUNK, producer, consumer, RELEASING);
        RingThrottle t = ring.throttle("shard 0", TimeUnit.MINUTES.toNanos(10));
        CountDownLatch busy = new CountDownLatch(1);
        consumer.execute(() -> RingTestLoops.await(busy)); // the replica side is stalled
        CountDownLatch resumed = new CountDownLatch(1);
        int published = RingTestLoops.on(producer, () -> {
            int n = fill(ring, t);
            t.pause(resumed::countDown);
            return n;
        });
        assertThat(published).as("half of 16 chunks, then over").isEqualTo(9);
        assertThat(resumed.await(200, TimeUnit.MILLISECONDS)).as("not released while the ring is full").isFalse();
        busy.countDown(); // the consumer drains
        assertThat(resumed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ring.inFlightBytes()).isLessThanOrEqualTo(4 * CHUNK);
        assertThat(t.pauses()).isEqualTo(1);
        assertThat(RingTestLoops.on(producer, t::over)).isFalse();
        RingTestLoops.awaitEmpty(ring);
    }

    @Test
    void aSpellThatOutlastsItsBoundLetsTheClientsReadUntilTheRingIsUnderAQuarter() throws Exception {
        ShardRing ring = new ShardRing(64, 16 * CHUNK, producer, consumer, RELEASING);
        RingThrottle t = ring.throttle("shard 0", TimeUnit.MILLISECONDS.toNanos(100));
        CountDownLatch busy = new CountDownLatch(1);
        consumer.execute(() -> RingTestLoops.await(busy));
        CountDownLatch resumed = new CountDownLatch(1);
        RingTestLoops.on(producer, () -> {
            fill(ring, t);
            t.pause(resumed::countDown);
            return null;
        });
        assertThat(resumed.await(10, TimeUnit.SECONDS)).as("given up after the bound").isTrue();
        assertThat(RingTestLoops.on(producer, t::over)).as("still over half full, but the spell was given up")
            .isFalse();
        busy.countDown();
        RingTestLoops.awaitEmpty(ring);
        assertThat(RingTestLoops.on(producer, () -> fill(ring, t))).as("under a quarter: over again from half full"
            + " (the consumer drains meanwhile)").isGreaterThanOrEqualTo(9);
        RingTestLoops.on(producer, () -> {
            t.pause(() -> { });
            return null;
        });
        assertThat(t.pauses()).isEqualTo(2);
        RingTestLoops.awaitEmpty(ring); // every buffer released before the loops stop
    }
}
