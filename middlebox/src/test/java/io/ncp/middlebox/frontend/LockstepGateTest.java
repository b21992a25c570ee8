package io.ncp.middlebox.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.Protocol;
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
        return open(Protocol.BYTES);
    }

    private LockstepGate open(Protocol protocol) {
        ServiceRuntime svc = new ServiceRuntime(new ServiceConfig("ls", new HostPort("127.0.0.1", 0),
            new HostPort("127.0.0.1", 1), "lockstep", CompareMode.BYTES, 1 << 20,
            List.of(ReplicaConfig.parse("r", "127.0.0.1:2"), ReplicaConfig.parse("r", "127.0.0.1:3")))
            .withProtocol(protocol));
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

    @Test
    void perExchangeARepliesGoOnceEveryReplicaProducedAsManyRepliesWhateverTheirLength() {
        LockstepGate gate = open(Protocol.REDIS);
        session.clientBytes(text("*1\r\n$4\r\nINFO\r\n*1\r\n$3\r\nGET\r\n"
            + "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$4\r\nport\r\n$1\r\n1\r\n*1\r\n$4\r\nPING\r\n"));
        primary.writeInbound(text("$3\r\nabc\r\n$2\r\nx"));
        gate.progress(0, 1);
        gate.progress(1, 1); // e.g. an INFO of another length: one reply is one reply
        assertThat(read()).isEqualTo("$3\r\nabc\r\n");
        gate.progress(0, 2);
        gate.progress(1, 2);
        assertThat(read()).as("a partial reply waits for its end").isEmpty();
        primary.writeInbound(text("y\r\n-ERR port in use\r\n+PONG\r\n"));
        assertThat(read()).as("the reply to the skipped CONFIG SET needs no replica reply").isEqualTo(
            "$2\r\nxy\r\n-ERR port in use\r\n");
        gate.progress(0, 3);
        assertThat(read()).isEmpty();
        gate.progress(1, 3);
        assertThat(read()).isEqualTo("+PONG\r\n");
    }

    @Test
    void perExchangeAPrimaryThatStopsSpeakingRespIsPassedThrough() {
        open(Protocol.REDIS);
        primary.writeInbound(text("+OK\r\n?garbage"));
        assertThat(read()).as("held until the framing error, then everything").isEqualTo("+OK\r\n?garbage");
    }

    @Test
    void postgresTheStartupPhasePassesAtOnceAndEachReplyWaitsForAsManyReplicaReplies() {
        LockstepGate gate = open(Protocol.POSTGRES);
        session.clientBytes(bytes(startup(), pg('Q', "SELECT 1\0")));
        String auth = pg('R', "\0\0\0\0") + pg('S', "a\0b\0") + pg('K', "12345678") + pg('Z', "I");
        primary.writeInbound(text(auth));
        assertThat(read()).as("the replicas' handlers answer their own authentication").isEqualTo(auth);
        String reply = pg('T', "row") + pg('D', "data") + pg('C', "SELECT 1\0");
        primary.writeInbound(text(reply));
        assertThat(read()).as("a partial reply waits for its end").isEmpty();
        primary.writeInbound(text(pg('Z', "I")));
        gate.progress(0, 1);
        assertThat(read()).isEmpty();
        gate.progress(1, 1); // a reply of another length on each replica: one reply is one reply
        assertThat(read()).isEqualTo(reply + pg('Z', "I"));
        session.clientBytes(bytes(pg('Q', "COPY t FROM STDIN\0")));
        primary.writeInbound(text(pg('G', "\0\0\0")));
        gate.progress(0, 2);
        gate.progress(1, 2);
        assertThat(read()).as("a CopyInResponse is a frame of its own").isEqualTo(pg('G', "\0\0\0"));
        session.clientBytes(bytes(pg('d', "1\n"), pg('c', "")));
        primary.writeInbound(text(pg('C', "COPY 1\0") + pg('Z', "I")));
        assertThat(read()).isEmpty();
        gate.progress(0, 3);
        gate.progress(1, 3);
        assertThat(read()).isEqualTo(pg('C', "COPY 1\0") + pg('Z', "I"));
    }

    @Test
    void postgresAFlushPassesTheSessionThrough() {
        open(Protocol.POSTGRES);
        session.clientBytes(bytes(startup(), pg('P', "\0SELECT 1\0\0\0"), pg('E', "\0\0\0\0\0"),
            pg('H', "")));
        primary.writeInbound(text(pg('R', "\0\0\0\0") + pg('Z', "I") + pg('1', "") + pg('C', "SELECT 1\0")));
        assertThat(read()).as("answers to a Flush end with no ReadyForQuery: passed through")
            .endsWith(pg('1', "") + pg('C', "SELECT 1\0"));
        assertThat(session.service.stats().protocol.ungated.sum()).isEqualTo(1);
    }

    @Test
    void postgresThePrimarysEndReleasesAPartialReply() {
        open(Protocol.POSTGRES);
        session.clientBytes(bytes(startup(), pg('Q', "SELECT 1\0")));
        primary.writeInbound(text(pg('R', "\0\0\0\0") + pg('Z', "I") + pg('E', "SFATAL\0\0")));
        assertThat(read()).isEqualTo(pg('R', "\0\0\0\0") + pg('Z', "I"));
        primary.close();
        assertThat(read()).as("nothing more comes: the FATAL error goes").isEqualTo(pg('E', "SFATAL\0\0"));
        assertThat(client.isOpen()).isFalse();
    }

    /** A PostgreSQL message: type, length, body (ISO-8859-1 text). */
    private static String pg(char type, String body) {
        int len = body.length() + 4;
        return type + new String(new char[] {(char) (len >>> 24), (char) ((len >>> 16) & 0xff),
            (char) ((len >>> 8) & 0xff), (char) (len & 0xff)}) + body;
    }

    private static String startup() {
        String body = "\0\3\0\0user\0postgres\0\0";
        int len = body.length() + 4;
        return new String(new char[] {(char) (len >>> 24), (char) ((len >>> 16) & 0xff), (char) ((len >>> 8) & 0xff),
            (char) (len & 0xff)}) + body;
    }

    private static ByteBuf bytes(String... parts) {
        return Unpooled.copiedBuffer(String.join("", parts), StandardCharsets.ISO_8859_1);
    }

    private String read() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = client.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
