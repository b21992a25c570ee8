package io.ncp.middlebox.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ShardRing} with a real RingBuffer between two real event loops. */
@ExtendWith(NettyLeakExtension.class)
class ShardRingTest {

    private EventLoop producer;
    private EventLoop consumer;
    private final RecordingConsumer recorder = new RecordingConsumer();

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

    @Test
    void eventsArriveInOrderOnTheConsumerLoopAndEveryBufferIsReleased() throws Exception {
        ShardRing ring = new ShardRing(64, 1 << 20, producer, consumer, recorder);
        List<ByteBuf> sent = new ArrayList<>();
        recorder.expect(1002);
        RingTestLoops.on(producer, () -> {
            assertThat(ring.tryPublishOpen(7, (SessionOpen) null)).isTrue();
            for (int i = 0; i < 1000; i++) {
                ByteBuf b = Unpooled.copiedBuffer("m" + i, StandardCharsets.US_ASCII);
                sent.add(b);
                while (!ring.tryPublishData(7, b)) {
                    Thread.onSpinWait(); // consumer runs on its own loop; the ring has 64 slots
                }
            }
            ring.publishControl(EventType.SESSION_CLOSE, 7, 0, 0);
            return null;
        });
        recorder.await();
        assertThat(recorder.events.get(0)).isEqualTo("SESSION_OPEN#7");
        for (int i = 0; i < 1000; i++) {
            assertThat(recorder.events.get(i + 1)).isEqualTo("DATA#7:m" + i);
        }
        assertThat(recorder.events.get(1001)).isEqualTo("SESSION_CLOSE#7=0");
        assertThat(recorder.threads).allMatch(t -> consumer.inEventLoop(t));
        assertThat(sent).allMatch(b -> b.refCnt() == 0);
        assertThat(recorder.batches.get()).isGreaterThan(0);
        RingTestLoops.awaitEmpty(ring);
    }

    @Test
    void fullRingRefusesDataAndQueuesControlEventsInOrder() throws Exception {
        ShardRing ring = new ShardRing(4, 1 << 20, producer, consumer, recorder);
        CountDownLatch blocked = new CountDownLatch(1);
        consumer.execute(() -> RingTestLoops.await(blocked)); // the consumer loop is busy: nothing is drained
        ByteBuf refused = Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII);
        recorder.expect(6);
        RingTestLoops.on(producer, () -> {
            assertThat(ring.tryPublishOpen(1, (SessionOpen) null)).isTrue();
            for (int i = 0; i < 3; i++) {
                assertThat(ring.tryPublishData(1, Unpooled.copiedBuffer("d" + i, StandardCharsets.US_ASCII)))
                    .isTrue();
            }
            assertThat(ring.tryPublishData(1, refused)).as("ring full").isFalse();
            ring.publishControl(EventType.DAMAGED, 1, 0, 0);
            ring.publishControl(EventType.SESSION_CLOSE, 1, 1, 0);
            assertThat(ring.pendingControl()).isEqualTo(2);
            assertThat(ring.tryPublishOpen(2, (SessionOpen) null)).as("open while control events wait").isFalse();
            return null;
        });
        assertThat(refused.refCnt()).as("refused data stays with the caller").isEqualTo(1);
        refused.release();
        blocked.countDown();
        recorder.await();
        assertThat(recorder.events).containsExactly("SESSION_OPEN#1", "DATA#1:d0", "DATA#1:d1", "DATA#1:d2",
            "DAMAGED#1", "SESSION_CLOSE#1=1");
        assertThat(RingTestLoops.on(producer, ring::pendingControl)).isZero();
    }

    @Test
    void inFlightByteCapRefusesDataUntilTheConsumerCatchesUp() throws Exception {
        ShardRing ring = new ShardRing(1024, 100, producer, consumer, recorder);
        CountDownLatch blocked = new CountDownLatch(1);
        consumer.execute(() -> RingTestLoops.await(blocked));
        ByteBuf second = Unpooled.buffer(60).writeZero(60);
        recorder.expect(1);
        RingTestLoops.on(producer, () -> {
            assertThat(ring.tryPublishData(3, Unpooled.buffer(60).writeZero(60))).isTrue();
            assertThat(ring.inFlightBytes()).isEqualTo(60);
            assertThat(ring.tryPublishData(3, second)).as("over the byte cap").isFalse();
            return null;
        });
        blocked.countDown();
        recorder.await();
        RingTestLoops.awaitEmpty(ring);
        recorder.expect(1);
        assertThat(RingTestLoops.on(producer, () -> ring.tryPublishData(3, second))).isTrue();
        recorder.await();
        RingTestLoops.awaitEmpty(ring);
    }

    @Test
    void sharedLoopProducerAndConsumerDrainWithoutAThreadHop() throws Exception {
        ShardRing ring = new ShardRing(16, 1 << 20, producer, producer, recorder);
        recorder.expect(100);
        RingTestLoops.on(producer, () -> {
            for (int i = 0; i < 100; i++) {
                ring.publishControl(EventType.PRIMARY_DIGEST, 5, i, i);
            }
            return null;
        });
        recorder.await();
        assertThat(recorder.events).hasSize(100).last().isEqualTo("PRIMARY_DIGEST#5=99");
        assertThat(recorder.threads).allMatch(t -> producer.inEventLoop(t));
    }
}
