package io.ncp.middlebox.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.digest.Divergence;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.ring.RecordingConsumer;
import io.ncp.middlebox.ring.ShardRing;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PrimaryHandler}: answers reach the client unchanged and their digests reach the ring in order. */
@ExtendWith(NettyLeakExtension.class)
class PrimaryHandlerTest {

    private final DefaultEventLoop consumerLoop = new DefaultEventLoop();
    private final RecordingConsumer recorder = new RecordingConsumer();

    @AfterEach
    void stop() {
        consumerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void answersGoToTheClientAndTheirDigestsToTheRing() throws Exception {
        EmbeddedChannel client = new EmbeddedChannel();
        ServiceRuntime svc = new ServiceRuntime(Harness.service("t", "127.0.0.1:1", CompareMode.BYTES, 1 << 20,
            "127.0.0.1:2"));
        ShardRing ring = new ShardRing(64, 1 << 20, client.eventLoop(), consumerLoop, recorder);
        Shard shard = new Shard(3, client.eventLoop(), consumerLoop, ring, null);
        FrontSession session = new FrontSession(shard, svc, client);
        EmbeddedChannel primary = new EmbeddedChannel(new PrimaryHandler(session));
        recorder.expect(6);
        session.primaryConnected(primary, svc.primary().view());

        int size = BlockDigester.BLOCK + 5;
        ByteBuf answer = Unpooled.buffer(size).writeZero(size);
        assertThat(primary.writeInbound(answer)).isFalse();
        ByteBuf got = client.readOutbound();
        assertThat(got.readableBytes()).isEqualTo(size);
        got.release();
        assertThat(svc.stats().bytesOut.sum()).isEqualTo(size);

        primary.close();
        assertThat(client.isOpen()).as("client closed after the primary closed").isFalse();
        session.clientClosed();
        recorder.await();
        long id = session.id;
        // the primary's end is the session's end: numbered 1st of the service (session order), before the close
        // the primary's first bytes go once, for the divergence report (the answer is all zero bytes)
        assertThat(recorder.events).containsExactly("SESSION_OPEN#" + id,
            "PRIMARY_HEAD#" + id + ":" + "\0".repeat(Divergence.HEAD), "PRIMARY_DIGEST#" + id + "=0",
            "SESSION_ENDED#" + id + "=1", "PRIMARY_END#" + id + "=" + size, "SESSION_CLOSE#" + id + "=0");
        assertThat(svc.endedSessions()).isEqualTo(1);
        assertThat(svc.stats().active.sum()).isEqualTo(-1); // ClientHandler (absent here) counts the +1
    }

    @Test
    void clientBytesGoToThePrimaryAndADuplicateToTheRing() throws Exception {
        EmbeddedChannel client = new EmbeddedChannel();
        ServiceRuntime svc = new ServiceRuntime(Harness.service("t", "127.0.0.1:1", CompareMode.NONE, 1 << 20,
            "127.0.0.1:2"));
        ShardRing ring = new ShardRing(64, 1 << 20, client.eventLoop(), consumerLoop, recorder);
        FrontSession session = new FrontSession(new Shard(0, client.eventLoop(), consumerLoop, ring, null), svc,
            client);
        EmbeddedChannel primary = new EmbeddedChannel(new PrimaryHandler(session));
        recorder.expect(2);
        session.primaryConnected(primary, svc.primary().view());
        session.clientBytes(Unpooled.copiedBuffer("PING\r\n", StandardCharsets.US_ASCII));
        recorder.await();
        assertThat(recorder.events.get(1)).isEqualTo("DATA#" + session.id + ":PING\r\n");
        primary.flushOutbound();
        ByteBuf sent = primary.readOutbound();
        assertThat(sent.toString(StandardCharsets.US_ASCII)).isEqualTo("PING\r\n");
        sent.release();
        assertThat(svc.stats().bytesIn.sum()).isEqualTo(6);
        primary.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void bytesAndFinBeforeThePrimaryConnectedAreForwardedInOrderOnceItIs() throws Exception {
        EmbeddedChannel client = new EmbeddedChannel();
        ServiceRuntime svc = new ServiceRuntime(Harness.service("t", "127.0.0.1:1", CompareMode.NONE, 1 << 20,
            "127.0.0.1:2"));
        ShardRing ring = new ShardRing(64, 1 << 20, client.eventLoop(), consumerLoop, recorder);
        FrontSession session = new FrontSession(new Shard(0, client.eventLoop(), consumerLoop, ring, null), svc,
            client);
        EmbeddedChannel primary = new EmbeddedChannel(new PrimaryHandler(session));
        session.clientBytes(Unpooled.copiedBuffer("PING\r\n", StandardCharsets.US_ASCII));
        session.clientBytes(Unpooled.copiedBuffer("SET a b\r\n", StandardCharsets.US_ASCII));
        session.clientFinished(); // epoll read the client's data and FIN before the connect completed
        assertThat(svc.stats().bytesIn.sum()).as("nothing forwarded before the primary is there").isZero();
        recorder.expect(6);
        session.primaryConnected(primary, svc.primary().view());
        recorder.await();
        long id = session.id;
        assertThat(recorder.events).containsExactly("SESSION_OPEN#" + id, "DATA#" + id + ":PING\r\n",
            "DATA#" + id + ":SET a b\r\n", "CLIENT_FIN#" + id, "SESSION_ENDED#" + id + "=1",
            "PRIMARY_END#" + id + "=0"); // an EmbeddedChannel cannot half-close: the FIN closes it
        StringBuilder sent = new StringBuilder();
        for (ByteBuf b; (b = primary.readOutbound()) != null;) {
            sent.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        assertThat(sent.toString()).isEqualTo("PING\r\nSET a b\r\n");
        assertThat(svc.stats().bytesIn.sum()).isEqualTo(15);
        primary.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void bytesReadAfterTheConnectFailedAreReleasedNotKept() throws Exception {
        EmbeddedChannel client = new EmbeddedChannel();
        ServiceRuntime svc = new ServiceRuntime(Harness.service("t", "127.0.0.1:1", CompareMode.NONE, 1 << 20));
        ShardRing ring = new ShardRing(64, 1 << 20, client.eventLoop(), consumerLoop, recorder);
        FrontSession session = new FrontSession(new Shard(0, client.eventLoop(), consumerLoop, ring, null), svc,
            client);
        ByteBuf before = Unpooled.copiedBuffer("PING\r\n", StandardCharsets.US_ASCII);
        session.clientBytes(before);
        session.dropEarly(); // the primary's socket could not even be created: the connect failed at once
        assertThat(before.refCnt()).isZero();
        ByteBuf after = Unpooled.copiedBuffer("PING\r\n", StandardCharsets.US_ASCII);
        session.clientBytes(after); // epoll read the rest of what the client sent before the close
        assertThat(after.refCnt()).as("released, not kept for a primary that will never come").isZero();
        client.finishAndReleaseAll();
    }
}
