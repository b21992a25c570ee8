package io.ncp.middlebox.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A session the ring has no room for is not replicated: its replicas missed it, so they are STALE. */
@ExtendWith(NettyLeakExtension.class)
class SessionFeedTest {

    @Test
    void aSessionTheRingCannotTakeMakesItsReplicasStale() throws Exception {
        EmbeddedChannel front = new EmbeddedChannel();
        DefaultEventLoop consumer = new DefaultEventLoop();
        CountDownLatch blocked = new CountDownLatch(1);
        consumer.execute(() -> {
            try {
                blocked.await(30, TimeUnit.SECONDS); // the replica side is busy: nothing is consumed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            RecordingConsumer recorder = new RecordingConsumer();
            ShardRing ring = new ShardRing(2, 1 << 20, front.eventLoop(), consumer, recorder);
            ServiceRuntime svc = new ServiceRuntime(Harness.service("t", "127.0.0.1:1", CompareMode.NONE, 1 << 20,
                "127.0.0.1:2", "127.0.0.1:3"));
            recorder.expect(2);
            assertThat(new SessionFeed(1, svc, ring).open((FrontLink) null)).isTrue();
            assertThat(new SessionFeed(2, svc, ring).open((FrontLink) null)).isTrue();
            assertThat(svc.replicas().get(0).consistency().inSync()).isTrue();
            assertThat(new SessionFeed(3, svc, ring).open((FrontLink) null)).as("the ring is full").isFalse();
            assertThat(svc.stats().ringMissed.sum()).isEqualTo(1);
            for (int i = 0; i < 2; i++) {
                assertThat(svc.replicas().get(i).consistency().state()).isEqualTo(ReplicaConsistency.State.STALE);
                assertThat(svc.replicas().get(i).consistency().reason()).contains("ring was full");
            }
            blocked.countDown();
            recorder.await();
        } finally {
            blocked.countDown();
            consumer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            front.finishAndReleaseAll();
        }
    }
}
