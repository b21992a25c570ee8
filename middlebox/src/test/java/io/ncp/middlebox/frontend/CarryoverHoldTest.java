package io.ncp.middlebox.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.ring.RecordingConsumer;
import io.ncp.middlebox.ring.ShardRing;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Carryover} holds the primary's end while an IN_SYNC replica's copy is open: as long as the failure detector
 * has a verdict pending (a slow decision must not turn a failover into resets), until the primary shows it is alive
 * (then the end is passed on and the session compared), or, with no failover coming, passed on uncompared (a primary
 * that died mid-answer must not make every replica STALE).
 */
@ExtendWith(NettyLeakExtension.class)
class CarryoverHoldTest {

    /** Probes every 50 ms, 100 ms timeout, 2 misses: the end is held at least 1.2 s without a pending verdict. */
    private static final FailoverConfig FAST = new FailoverConfig(Duration.ofMillis(50), Duration.ofMillis(100), 2,
        null, null, true, List.of(), null, Duration.ofSeconds(1));

    private final DefaultEventLoop consumerLoop = new DefaultEventLoop();
    private final RecordingConsumer recorder = new RecordingConsumer();

    @AfterEach
    void stop() {
        consumerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void anEndHeldWhileTheVerdictIsPendingIsPassedOnUncomparedWhenNoFailoverComes() throws Exception {
        Held h = holdPrimaryEnd();
        h.svc.primarySuspect(true);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500); // twice the hold without a verdict
        while (System.nanoTime() - until < 0) {
            h.client.runScheduledPendingTasks();
            Thread.sleep(20);
        }
        assertThat(h.client.isOpen()).as("held while the failure detector makes up its mind").isTrue();
        h.svc.primarySuspect(false); // e.g. no IN_SYNC replica to promote: no failover will come
        awaitClosed(h.client);
        h.session.clientClosed();
        awaitEvent("SESSION_CLOSE");
        assertThat(recorder.events).as("no PRIMARY_END: a cut-short primary stream is not compared")
            .noneMatch(e -> e.startsWith("PRIMARY_END"));
        h.client.finishAndReleaseAll();
    }

    @Test
    void anEndHeldUntilThePrimaryAnswersAgainIsPassedOnAndCompared() throws Exception {
        long before = System.nanoTime();
        Held h = holdPrimaryEnd();
        h.svc.primarySuspect(true);
        // a connect begun before the end, completing after it (a kill -9 race), proves nothing
        h.svc.primaryHealth().connected(before);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() - until < 0) {
            h.client.runScheduledPendingTasks();
            Thread.sleep(20);
        }
        assertThat(h.client.isOpen()).as("an attempt that began before the end does not release it").isTrue();
        // a probe begun after the end was answered: the primary is alive, its end was its own
        h.svc.primaryHealth().connected(System.nanoTime());
        awaitClosed(h.client);
        h.session.clientClosed();
        awaitEvent("SESSION_CLOSE");
        assertThat(recorder.events).as("the session is compared").anyMatch(e -> e.startsWith("PRIMARY_END"));
        h.client.finishAndReleaseAll();
    }

    private record Held(ServiceRuntime svc, EmbeddedChannel client, FrontSession session) {
    }

    /** A replicated session of a failover service whose primary closed while the IN_SYNC replica's copy is open. */
    private Held holdPrimaryEnd() {
        EmbeddedChannel client = new EmbeddedChannel();
        ServiceRuntime svc = new ServiceRuntime(Harness.service("t", "127.0.0.1:1", CompareMode.BYTES, 1 << 20,
            "127.0.0.1:2").withFailover(FAST));
        ShardRing ring = new ShardRing(64, 1 << 20, client.eventLoop(), consumerLoop, recorder);
        FrontSession session = new FrontSession(new Shard(0, client.eventLoop(), consumerLoop, ring, null), svc,
            client);
        EmbeddedChannel primary = new EmbeddedChannel(new PrimaryHandler(session));
        assertThat(session.primaryConnected(primary, svc.primary().view())).isTrue();
        assertThat(session.carry).as("a carried session").isNotNull();
        assertThat(primary.writeInbound(Unpooled.copiedBuffer("+OK\r\n", StandardCharsets.US_ASCII))).isFalse();
        client.releaseOutbound();
        primary.close(); // the primary's kernel closed it: dead, or a legitimate end?
        assertThat(client.isOpen()).as("the end is held").isTrue();
        return new Held(svc, client, session);
    }

    private void awaitEvent(String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recorder.events.stream().noneMatch(e -> e.startsWith(type)) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertThat(recorder.events).as("a %s event", type).anyMatch(e -> e.startsWith(type));
    }

    private static void awaitClosed(EmbeddedChannel client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.isOpen() && System.nanoTime() - deadline < 0) {
            client.runScheduledPendingTasks();
            client.runPendingTasks();
            Thread.sleep(20);
        }
        assertThat(client.isOpen()).as("the held end passed on to the client").isFalse();
    }
}
