package io.ncp.middlebox.proto.resp;

import static io.ncp.middlebox.proto.resp.RespTestBytes.bytes;
import static io.ncp.middlebox.proto.resp.RespTestBytes.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.RedisPolicy;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The front's client filter and the answer filters of both sides together, as in a session: a primary answer stream
 * and a replica answer stream (which never saw the skipped requests) must digest the same when the answers agree
 * except for noise, and differ when a compared answer differs.
 */
class RespFilterTest {

    private static final RespPolicy POLICY = new RespPolicy(RedisPolicy.DEFAULTS);

    /** What one session's front produced. */
    private static class Front implements RequestSink {
        final ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        final List<long[]> expects = new ArrayList<>();
        final RespAnswerFilter primary = new RespAnswerFilter();
        final ProtocolStats stats = new ProtocolStats();
        final RespClientFilter filter = new RespClientFilter(POLICY, primary, this, stats);
        String unreplicatedAt;

        @Override
        public void replay(ByteBuf bytes) {
            replayed.writeBytes(ByteBufUtil.getBytes(bytes));
            bytes.release();
        }

        @Override
        public void expect(long ordinal, int exchange) {
            expects.add(new long[] {ordinal, exchange});
        }

        @Override
        public void ungate(String why) {
        }

        @Override
        public void unreplicate(String command) {
            unreplicatedAt = command;
        }

        String replayed() {
            return replayed.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static Front front(String clientStream, int size) {
        Front f = new Front();
        RespTestBytes.feed(bytes(clientStream), size, f.filter::clientBytes);
        f.filter.close();
        return f;
    }

    /** Digest (total, crc) and frame count of an answer stream through {@code filter}. */
    private static String digest(RespAnswerFilter filter, String answers, int size, List<Long> ends) {
        BlockDigester d = new BlockDigester((i, crc) -> { });
        filter.listener(new FramingAnswerFilter.FrameListener() {
            @Override
            public void frame(long end, boolean skipped) {
                ends.add(skipped ? -end : end);
            }

            @Override
            public void framingFailed() {
                ends.add(Long.MIN_VALUE);
            }
        });
        RespTestBytes.feed(bytes(answers), size, b -> filter.feed(b, d));
        return d.total() + "/" + d.partialCrc() + "/" + filter.frames();
    }

    private static RespAnswerFilter replicaFilter(Front f) {
        RespAnswerFilter r = new RespAnswerFilter();
        f.expects.forEach(e -> r.expect(e[0], (int) e[1]));
        return r;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000})
    void leadingAuthAndHelloAreReplayedButNumberedOnNeitherSide(int size) {
        // CLIENT KILL never reaches the replicas, so it does not end their authentication phase; the AUTH after GET
        // is an ordinary request (the replicas' handlers pass it unchanged and their replies are compared)
        String stream = cmd("CLIENT", "KILL", "ID", "7") + cmd("AUTH", "pw") + cmd("HELLO", "3", "AUTH", "u", "pw")
            + cmd("GET", "k") + cmd("AUTH", "pw");
        Front f = front(stream, size);
        assertThat(f.replayed()).isEqualTo(cmd("AUTH", "pw") + cmd("HELLO", "3", "AUTH", "u", "pw")
            + cmd("GET", "k") + cmd("AUTH", "pw"));
        assertThat(f.stats.authentication.sum()).isEqualTo(2);
        assertThat(f.stats.skipped.sum()).isEqualTo(1);
        assertThat(f.expects).isEmpty();

        String primary = ":1\r\n+OK\r\n%1\r\n+id\r\n:5\r\n$1\r\nv\r\n+OK\r\n";
        String replica = "$1\r\nv\r\n+OK\r\n"; // its handler swallowed its own AUTH / HELLO replies
        List<Long> primaryEnds = new ArrayList<>();
        List<Long> replicaEnds = new ArrayList<>();
        assertThat(digest(f.primary, primary, size, primaryEnds))
            .isEqualTo(digest(replicaFilter(f), replica, size, replicaEnds));
        assertThat(primaryEnds).containsExactly(-4L, -9L, -22L, 29L, 34L);
        assertThat(replicaEnds).containsExactly(7L, 12L);

        RequestNames names = new RequestNames();
        RespTestBytes.feed(bytes(f.replayed()), size, names::feed);
        assertThat(names.name(1)).isEqualTo("GET");
        assertThat(names.name(2)).isEqualTo("AUTH");
    }

    @Test
    void inlineOrEmptyRequestsEndTheAuthenticationPhase() {
        assertThat(front("auth pw\r\n" + cmd("AUTH", "pw"), 1000).stats.authentication.sum()).isZero();
        assertThat(front("*0\r\n" + cmd("AUTH", "pw"), 1000).stats.authentication.sum()).isZero();
        assertThat(front(cmd("PING") + cmd("AUTH", "pw"), 1000).stats.authentication.sum()).isZero();
        assertThat(front(cmd("auth", "pw") + cmd("PING"), 1000).stats.authentication.sum()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000})
    void skippedRequestsNeverReachTheReplicasAndTheirAnswersAreNotCompared(int size) {
        String stream = cmd("SET", "k", "1") + cmd("CONFIG", "SET", "port", "21111") + "info\r\n"
            + cmd("CLIENT", "KILL", "ID", "7") + cmd("GET", "k");
        Front f = front(stream, size);
        assertThat(f.replayed()).isEqualTo(cmd("SET", "k", "1") + "info\r\n" + cmd("GET", "k"));
        assertThat(f.stats.skipped.sum()).isEqualTo(2);
        assertThat(f.stats.noisy.sum()).isEqualTo(1);
        assertThat(f.expects).hasSize(1);
        assertThat(f.expects.get(0)).containsExactly(2, Exchange.NOISE);

        String primary = "+OK\r\n-ERR port in use\r\n$11\r\nrun_id:aaaa\r\n:1\r\n$1\r\n1\r\n";
        String replica = "+OK\r\n$18\r\nrun_id:bbbbbbbbbbb\r\n$1\r\n1\r\n";
        List<Long> primaryEnds = new ArrayList<>();
        List<Long> replicaEnds = new ArrayList<>();
        assertThat(digest(f.primary, primary, size, primaryEnds))
            .isEqualTo(digest(replicaFilter(f), replica, size, replicaEnds));
        assertThat(primaryEnds).containsExactly(5L, -23L, 41L, -45L, 52L);
        assertThat(replicaEnds).hasSize(3);
    }

    @Test
    void aDifferentComparedAnswerDigestsDifferently() {
        Front f = front(cmd("GET", "k") + cmd("INFO"), 7);
        String a = digest(f.primary, "$1\r\n1\r\n$3\r\nabc\r\n", 4, new ArrayList<>());
        String b = digest(replicaFilter(f), "$1\r\n2\r\n$5\r\nabcde\r\n", 4, new ArrayList<>());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void execWithANoisyOrSkippedQueuedCommandIsNoise() {
        Front f = front(cmd("MULTI") + cmd("INFO") + cmd("SHUTDOWN") + cmd("EXEC") + cmd("MULTI") + cmd("INCR", "x")
            + cmd("EXEC"), 5);
        assertThat(f.replayed()).doesNotContain("SHUTDOWN");
        assertThat(f.expects).hasSize(1);
        assertThat(f.expects.get(0)).containsExactly(3, Exchange.NOISE); // the first EXEC, 3rd replayed request
        String primary = "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n$3\r\nabc\r\n+OK\r\n+OK\r\n+QUEUED\r\n*1\r\n:1\r\n";
        String replica = "+OK\r\n+QUEUED\r\n*1\r\n$5\r\nabcde\r\n+OK\r\n+QUEUED\r\n*1\r\n:1\r\n";
        assertThat(digest(f.primary, primary, 3, new ArrayList<>()))
            .isEqualTo(digest(replicaFilter(f), replica, 3, new ArrayList<>()));
    }

    @Test
    void subscribePushesAreNotPairedWithRequests() {
        Front f = front(cmd("SUBSCRIBE", "a", "b") + cmd("PING") + cmd("UNSUBSCRIBE") + cmd("INFO"), 4);
        String answers = "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
            + "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n"
            + "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n"
            + "$3\r\nxyz\r\n";
        String replicaAnswers = answers.replace("$3\r\nxyz\r\n", "$6\r\nuvwxyz\r\n");
        List<Long> ends = new ArrayList<>();
        assertThat(digest(f.primary, answers, 5, ends))
            .isEqualTo(digest(replicaFilter(f), replicaAnswers, 5, new ArrayList<>()));
        assertThat(ends).hasSize(7);
    }

    @Test
    void syncEndsReplicationBeforeItsBytes() {
        Front f = front(cmd("PING") + cmd("REPLCONF", "listening-port", "7") + cmd("PSYNC", "?", "-1")
            + cmd("SET", "a", "b"), 6);
        assertThat(f.unreplicatedAt).isEqualTo("PSYNC");
        assertThat(f.replayed()).isEqualTo(cmd("PING") + cmd("REPLCONF", "listening-port", "7"));
        assertThat(f.stats.unreplicated.sum()).isEqualTo(1);
    }

    @Test
    void garbageFallsBackToBytes() {
        String stream = cmd("SET", "a", "b") + "*x\r\n" + cmd("CONFIG", "SET", "port", "1");
        Front f = front(stream, 3);
        assertThat(f.filter.bytesMode()).isTrue();
        assertThat(f.stats.framingErrors.sum()).isEqualTo(1);
        assertThat(f.replayed()).isEqualTo(stream);
        List<Long> ends = new ArrayList<>();
        digest(f.primary, "+OK\r\n?garbage", 2, ends);
        assertThat(ends).containsExactly(5L, Long.MIN_VALUE);
    }

    @Test
    void pipelinedRequestsGoToTheRingAsOneSlicePerRead() {
        int[] slices = {0};
        Front f = new Front() {
            @Override
            public void replay(ByteBuf bytes) {
                slices[0]++;
                super.replay(bytes);
            }
        };
        String stream = (cmd("SET", "k", "v") + cmd("GET", "k") + "PING\r\n").repeat(16);
        f.filter.clientBytes(io.netty.buffer.Unpooled.wrappedBuffer(bytes(stream)));
        assertThat(f.replayed()).isEqualTo(stream);
        assertThat(slices[0]).isEqualTo(1);
    }

    @Test
    void largeValuesPassBeforeTheyAreComplete() {
        Front f = new Front();
        f.filter.clientBytes(io.netty.buffer.Unpooled.wrappedBuffer(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nxx")));
        assertThat(f.replayed()).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nxx");
        Front g = new Front();
        ByteBuf part = io.netty.buffer.Unpooled.wrappedBuffer(bytes("*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$4\r\npo"));
        g.filter.clientBytes(part);
        assertThat(g.replayed()).isEmpty();
        assertThat(part.refCnt()).isEqualTo(2); // held until the request is complete
        g.filter.close();
        assertThat(part.refCnt()).isEqualTo(1);
        part.release();
    }
}
