package io.ncp.middlebox.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.ring.RecordingConsumer;
import io.ncp.middlebox.ring.ShardRing;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link LockstepGate}: the client gets answer byte k only once every live replica produced byte k. */
@ExtendWith(NettyLeakExtension.class)
class LockstepGateTest {

    private final DefaultEventLoop consumerLoop = new DefaultEventLoop();
    private final RecordingConsumer recorder = new RecordingConsumer();
    private final EmbeddedChannel client = new EmbeddedChannel();
    private FrontSession session;
    private EmbeddedChannel primary;

    @AfterEach
    void stop() {
        client.finishAndReleaseAll();
        if (primary != null) {
            primary.finishAndReleaseAll();
        }
        consumerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private LockstepGate open() {
        ServiceRuntime svc = new ServiceRuntime(new ServiceConfig("ls", new HostPort("127.0.0.1", 0),
            new HostPort("127.0.0.1", 1), "lockstep", CompareMode.BYTES, 1 << 20,
            List.of(ReplicaConfig.parse("r", "127.0.0.1:2"), ReplicaConfig.parse("r", "127.0.0.1:3"))));
        ShardRing ring = new ShardRing(64, 1 << 20, client.eventLoop(), consumerLoop, recorder);
        session = new FrontSession(new Shard(0, client.eventLoop(), consumerLoop, ring, null), svc, client);
        primary = new EmbeddedChannel(new PrimaryHandler(session));
        session.primaryConnected(primary, svc.primary().view());
        assertThat(session.gate).isNotNull();
        return session.gate;
    }

    @Test
    void answersWaitForTheSlowestLiveReplica() {
        LockstepGate gate = open();
        primary.writeInbound(text("hello world"));
        assertThat(read()).as("nothing before the replicas answered").isEmpty();
        gate.progress(0, 5);
        assertThat(read()).as("replica 1 has produced nothing yet").isEmpty();
        gate.progress(1, 11);
        assertThat(read()).isEqualTo("hello");
        gate.progress(0, 11);
        assertThat(read()).isEqualTo(" world");
    }

    @Test
    void aGoneReplicaNoLongerHoldsAnswersAndThePrimaryCloseWaitsForThem() {
        LockstepGate gate = open();
        primary.writeInbound(text("abc"));
        primary.close();
        assertThat(client.isOpen()).as("the close waits for the held answer").isTrue();
        gate.progress(0, 3);
        assertThat(client.isOpen()).isTrue();
        gate.gone(1);
        assertThat(read()).isEqualTo("abc");
        assertThat(client.isOpen()).as("closed once the answer went out").isFalse();
    }

    @Test
    void closingTheClientReleasesHeldAnswers() {
        open();
        ByteBuf answer = text("held");
        primary.writeInbound(answer.retain());
        assertThat(answer.refCnt()).isEqualTo(2);
        session.closeGate();
        assertThat(answer.refCnt()).as("the gate released its reference").isEqualTo(1);
        answer.release();
    }

    private String read() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = client.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
