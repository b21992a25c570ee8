package io.ncp.middlebox.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.ring.EventType;
import io.ncp.middlebox.ring.SessionOpen;
import io.ncp.middlebox.ring.ShardRing;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ReplicaSide} consuming a real {@link ShardRing}: replicas are local-transport servers that answer a fixed
 * text on their first read. Replica {@code 127.0.0.1:P} maps to local address "replica-P".
 */
@ExtendWith(NettyLeakExtension.class)
class ReplicaSideTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AttributeKey<String> CONNECTION = AttributeKey.valueOf("replica-connection");

    private final DefaultEventLoop producer = new DefaultEventLoop();
    private final DefaultEventLoop consumer = new DefaultEventLoop();
    private final DefaultEventLoopGroup servers = new DefaultEventLoopGroup(1);
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger closed = new AtomicInteger();
    private ReplicaSide side;
    private ShardRing ring;

    @BeforeEach
    void setUp() {
        side = new ReplicaSide(consumer, (loop, replica, handler) -> new Bootstrap().group(loop)
            .channel(LocalChannel.class).handler(handler).connect(new LocalAddress("replica-" + replica.address()
                .port())));
        ring = new ShardRing(256, 1 << 20, producer, consumer, side);
    }

    @AfterEach
    void tearDown() throws Exception {
        consumer.submit(side::abortAll).get(10, TimeUnit.SECONDS);
        producer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        consumer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        servers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void bytesReachTheReplicaAndMatchingAnswersCountAsCompared() throws Exception {
        assertThat(runSession(1, "hello", "hello")).isZero();
    }

    @Test
    void differentAnswersCountAsDivergent() throws Exception {
        assertThat(runSession(2, "hellp", "hello")).isEqualTo(1);
    }

    @Test
    void aRingGapDamagesTheCopyAndResetsItsConnection() throws Exception {
        Channel server = startReplica(3, "ok");
        ServiceRuntime svc = service(3);
        ReplicaStats rs = svc.replicas().get(0).stats();
        on(() -> ring.tryPublishOpen(30, svc));
        on(() -> ring.tryPublishData(30, text("SET a 1\r\n")));
        Harness.await("bytes at replica", WAIT, () -> received.get() == 9, () -> "received " + received);
        on(() -> {
            ring.publishControl(EventType.DAMAGED, 30, 0, 0);
            return ring.tryPublishData(30, text("lost"));
        });
        Harness.await("copy damaged", WAIT, () -> rs.damaged.sum() == 1 && closed.get() == 1, () -> "");
        on(() -> {
            ring.publishControl(EventType.SESSION_CLOSE, 30, 0, 0);
            return null;
        });
        Harness.await("session forgotten", WAIT, () -> sessions() == 0, () -> "");
        assertThat(received.get()).as("nothing after the gap").isEqualTo(9);
        assertThat(rs.compared.sum()).isZero();
        server.close().syncUninterruptibly();
    }

    @Test
    void unreachableReplicaIsDownAndSkippedDuringBackoff() throws Exception {
        ServiceRuntime svc = service(4); // nothing listens on replica-4
        ReplicaStats rs = svc.replicas().get(0).stats();
        on(() -> ring.tryPublishOpen(40, svc));
        Harness.await("connect failure", WAIT, () -> rs.connectFailures.sum() == 1, () -> "");
        assertThat(svc.replicas().get(0).health().state()).isEqualTo(BackendHealth.State.DOWN);
        assertThat(svc.replicas().get(0).consistency().state()).isEqualTo(ReplicaConsistency.State.STALE);
        on(() -> ring.tryPublishOpen(41, svc));
        Harness.await("missed during backoff", WAIT, () -> rs.missed.sum() == 1, () -> "");
        assertThat(rs.damaged.sum()).isEqualTo(1);
        on(() -> {
            ring.publishControl(EventType.SESSION_CLOSE, 40, 0, 0);
            ring.publishControl(EventType.SESSION_CLOSE, 41, 0, 0);
            return null;
        });
        Harness.await("sessions forgotten", WAIT, () -> sessions() == 0, () -> "");
    }

    @Test
    void aSessionOpenedAfterAnotherEndedReachesTheReplicaOnlyOnceThatOneFinishedThere() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Channel server = startLoggingReplica(5, log);
        ServiceRuntime svc = service(5);
        ReplicaStats rs = svc.replicas().get(0).stats();
        on(() -> ring.tryPublishOpen(50, svc));
        on(() -> ring.tryPublishData(50, text("A")));
        Harness.await("first session's bytes at the replica", WAIT, () -> log.contains("c1:A"), log::toString);
        long number = on(() -> {
            long n = svc.sessionEnded(); // the primary ended session 50: it is 1st in end order
            ring.publishControl(EventType.SESSION_ENDED, 50, n, 0);
            return n;
        });
        assertThat(number).isEqualTo(1);
        // opens after 50 ended: waits for it
        on(() -> ring.tryPublishOpen(51, new SessionOpen(svc, svc.replicas(), null, svc.endedSessions())));
        on(() -> ring.tryPublishData(51, text("B")));
        Harness.await("second session holding", WAIT, () -> rs.orderWaits.sum() == 1, () -> Harness.describe(svc));
        Harness.await("second session connected", WAIT, () -> log.contains("c2:open"), log::toString);
        log.add("release");
        on(() -> {
            ring.publishControl(EventType.SESSION_CLOSE, 50, 0, 0); // 50's copy sends its FIN (local: closes)
            return null;
        });
        Harness.await("second session's bytes at the replica", WAIT, () -> log.contains("c2:B"), log::toString);
        // nothing of the second session before the first one's copy finished (local transport: its FIN is a close)
        assertThat(log.subList(0, 4)).containsExactly("c1:open", "c1:A", "c2:open", "release");
        assertThat(log).containsSubsequence("release", "c2:B");
        assertThat(svc.replicas().get(0).finishes().mark()).isEqualTo(1);
        assertThat(rs.orderWaitNanos.sum()).isPositive();
        on(() -> {
            ring.publishControl(EventType.SESSION_ENDED, 51, svc.sessionEnded(), 0);
            ring.publishControl(EventType.SESSION_CLOSE, 51, 0, 0);
            return null;
        });
        Harness.await("sessions forgotten", WAIT, () -> sessions() == 0, () -> "");
        Harness.await("both finished on the replica", WAIT, () -> svc.replicas().get(0).finishes().reached(2),
            () -> "mark " + svc.replicas().get(0).finishes().mark());
        server.close().syncUninterruptibly();
    }

    @Test
    void aCopyThatCaughtUpWithThePrimaryLetsLaterSessionsGoBeforeItCloses() throws Exception {
        Channel server = startReplica(6, "ok");
        ServiceRuntime svc = service(6);
        ReplicaStats rs = svc.replicas().get(0).stats();
        on(() -> ring.tryPublishOpen(60, svc));
        on(() -> ring.tryPublishData(60, text("SET k v\r\n")));
        Harness.await("answer read", WAIT, () -> rs.bytesAnswered.sum() == 2, () -> Harness.describe(svc));
        BlockDigester primary = new BlockDigester((i, crc) -> { });
        ByteBuf p = text("ok");
        primary.update(p);
        p.release();
        on(() -> {
            ring.publishControl(EventType.CLIENT_FIN, 60, 0, 0);
            ring.publishControl(EventType.SESSION_ENDED, 60, svc.sessionEnded(), 0);
            ring.publishControl(EventType.PRIMARY_END, 60, primary.total(), primary.partialCrc());
            return null;
        });
        Harness.await("caught up", WAIT, () -> svc.replicas().get(0).finishes().reached(1), () -> "");
        assertThat(sessions()).as("the copy itself waits for the front's close").isEqualTo(1);
        on(() -> {
            ring.publishControl(EventType.SESSION_CLOSE, 60, 0, 0);
            return null;
        });
        Harness.await("copy compared", WAIT, () -> rs.compared.sum() == 1, () -> Harness.describe(svc));
        Harness.await("session forgotten", WAIT, () -> sessions() == 0, () -> "");
        assertThat(rs.divergent.sum()).isZero();
        server.close().syncUninterruptibly();
    }

    /** One session with request {@code "SET k v\r\n"}; returns the divergent count. */
    private long runSession(int port, String replicaAnswer, String primaryAnswer) throws Exception {
        Channel server = startReplica(port, replicaAnswer);
        ServiceRuntime svc = service(port);
        ReplicaStats rs = svc.replicas().get(0).stats();
        long id = 10L * port;
        on(() -> ring.tryPublishOpen(id, svc));
        on(() -> ring.tryPublishData(id, text("SET k v\r\n")));
        Harness.await("answer read", WAIT, () -> rs.bytesAnswered.sum() == replicaAnswer.length(),
            () -> "answered " + rs.bytesAnswered.sum());
        BlockDigester primary = new BlockDigester((i, crc) -> { });
        ByteBuf p = text(primaryAnswer);
        primary.update(p);
        p.release();
        on(() -> {
            ring.publishControl(EventType.CLIENT_FIN, id, 0, 0);
            ring.publishControl(EventType.PRIMARY_END, id, primary.total(), primary.partialCrc());
            ring.publishControl(EventType.SESSION_CLOSE, id, 0, 0);
            return null;
        });
        Harness.await("copy compared", WAIT, () -> rs.compared.sum() == 1, () -> "");
        Harness.await("session forgotten", WAIT, () -> sessions() == 0, () -> "");
        assertThat(received.get()).isEqualTo(9);
        assertThat(rs.bytesSent.sum()).isEqualTo(9);
        // the replica's side of the local connection learns of the close on its own loop
        Harness.await("replica connection closed after the FIN", WAIT, () -> closed.get() == 1, () -> "");
        server.close().syncUninterruptibly();
        return rs.divergent.sum();
    }

    private Channel startReplica(int port, String answer) {
        return new ServerBootstrap().group(servers).channel(LocalServerChannel.class)
            .childHandler(new ChannelInboundHandlerAdapter() {
                private boolean answered;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    received.addAndGet(b.readableBytes());
                    b.release();
                    if (!answered) {
                        answered = true;
                        ctx.writeAndFlush(text(answer));
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    closed.incrementAndGet();
                }
            }).bind(new LocalAddress("replica-" + port)).syncUninterruptibly().channel();
    }

    /** A replica that logs, per connection (c1, c2, ... in accept order), its opening, bytes and closing. */
    private Channel startLoggingReplica(int port, List<String> log) {
        return new ServerBootstrap().group(servers).channel(LocalServerChannel.class)
            .childHandler(new LoggingReplica(log)).bind(new LocalAddress("replica-" + port)).syncUninterruptibly()
            .channel();
    }

    private static ServiceRuntime service(int port) {
        return new ServiceRuntime(Harness.service("t" + port, "127.0.0.1:9", CompareMode.BYTES, 1 << 20,
            "127.0.0.1:" + port));
    }

    private int sessions() {
        try {
            return consumer.submit(side::sessionCount).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private <T> T on(Callable<T> task) throws Exception {
        return producer.submit(task).get(10, TimeUnit.SECONDS);
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @ChannelHandler.Sharable
    private static final class LoggingReplica extends ChannelInboundHandlerAdapter {
        private final List<String> log;
        private final AtomicInteger connections = new AtomicInteger();

        LoggingReplica(List<String> log) {
            this.log = log;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.channel().attr(CONNECTION).set("c" + connections.incrementAndGet());
            log.add(ctx.channel().attr(CONNECTION).get() + ":open");
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            log.add(ctx.channel().attr(CONNECTION).get() + ":" + b.toString(StandardCharsets.US_ASCII));
            b.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            log.add(ctx.channel().attr(CONNECTION).get() + ":closed");
        }
    }
}
