package io.ncp.middlebox.proto.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL framing on plain buffers, every stream also cut at every byte boundary and read byte by byte: requests
 * numbered as the server answers them (COPY FROM STDIN with the extended protocol included), replies paired with
 * them, noisy replies compared by message types, the startup phase skipped on the primary's side, replication
 * connections not replicated, the Flush rule, garbage as a framing error.
 */
class PgFramingTest {

    /** A session: startup, simple and extended queries, COPY both ways, a Flush, a multi-statement query. */
    static byte[] client() {
        return new PgBytes().sslRequest().startup("user", "postgres", "database", "postgres")
            .msg('p', "secret")
            .msg('Q', "SELECT pg_backend_pid()")                                         // 1 noisy
            .msg('Q', "INSERT INTO t VALUES (1)")                                       // 2
            .parse("", "SELECT now()").bind("").msg('D', new byte[] {'P', 0}).execute().sync() // 3 noisy
            .parse("s1", "UPDATE t   SET v = 2 WHERE k = 1").sync()                     // 4
            .bind("s1").execute().sync()                                                // 5
            .parse("", "COPY t FROM STDIN").bind("").execute().sync()                   // 6 (this Sync is ignored)
            .msg('d', new byte[] {'9', '\n'}).msg('c').sync()                           // 6 ends here
            .msg('Q', "COPY t FROM STDIN").msg('d', new byte[] {'8', '\n'}).msg('c')   // 7
            .msg('H')                                                                   // Flush
            .msg('Q', "SELECT 1; SELECT 2")                                             // 8
            .msg('X').bytes();
    }

    static final List<String> REQUESTS = List.of("1 noisy SELECT pg_backend_pid()", "2 INSERT INTO t ...",
        "3 noisy SELECT now()", "4 UPDATE t SET ...", "5 UPDATE t SET ...", "6 COPY t FROM ...", "6 COPY t FROM ...",
        "7 COPY t FROM ...", "flush", "8 SELECT 1; SELECT ...");

    /** The primary's answers: SSL refused, authentication, then one reply per request. */
    static byte[] primaryAnswers(String pid, String now, String inserted) {
        return replies(new PgBytes().raw((byte) 'N').msg('R', new byte[] {0, 0, 0, 0})
            .msg('S', "TimeZone", "UTC").msg('K', new byte[] {0, 0, 1, 2, 3, 4, 5, 6}).ready(), pid, now, inserted);
    }

    /** A replica's answers (its authentication phase swallowed by its handler). */
    static byte[] replicaAnswers(String pid, String now, String inserted) {
        return replies(new PgBytes(), pid, now, inserted);
    }

    private static byte[] replies(PgBytes b, String pid, String now, String inserted) {
        return b.row("pg_backend_pid").data(pid).msg('C', "SELECT 1").ready()
            .msg('C', inserted).ready()
            .msg('1').msg('2').row("now").data(now).msg('C', "SELECT 1").ready()
            .msg('1').ready()
            .msg('2').msg('C', "UPDATE 1").ready()
            .msg('1').msg('2').msg('G', new byte[] {0, 0, 1, 0, 0}).msg('C', "COPY 1").ready()
            .msg('G', new byte[] {0, 0, 1, 0, 0}).msg('C', "COPY 1").ready()
            .row("?column?").data("1").msg('C', "SELECT 1").row("?column?").data("2").msg('C', "SELECT 1").ready()
            .bytes();
    }

    /** Feeds {@code data} every way: whole, cut in two at every offset, one byte at a time. */
    private static void everyCut(byte[] data, Consumer<Consumer<Consumer<ByteBuf>>> run) {
        for (int at = 0; at < data.length; at++) {
            int cut = at;
            run.accept(target -> PgBytes.split(data, cut, target));
        }
        run.accept(target -> PgBytes.feed(data, 1, target));
        run.accept(target -> PgBytes.feed(data, 7, target));
    }

    private static List<String> framed(Consumer<Consumer<ByteBuf>> feeding) {
        List<String> out = new ArrayList<>();
        PgRequestFramer f = new PgRequestFramer(new PgRequestFramer.Listener() {
            @Override
            public void startup(long end, String replication) {
                out.add("startup " + replication);
            }

            @Override
            public void request(long number, boolean noisy, String name, long end) {
                out.add(number + (noisy ? " noisy " : " ") + name);
            }

            @Override
            public void flush(long end) {
                out.add("flush");
            }
        });
        feeding.accept(f::feed);
        assertThat(f.failed()).as(f.error()).isFalse();
        return out;
    }

    @Test
    void requestsAreNumberedAsTheServerAnswersThemWhateverTheCuts() {
        byte[] data = client();
        List<String> expected = new ArrayList<>(List.of("startup null"));
        expected.addAll(REQUESTS);
        everyCut(data, feeding -> assertThat(framed(feeding)).isEqualTo(expected));
    }

    @Test
    void requestNamesFollowTheNumbersAndAnIgnoredSyncTakesNoNumber() {
        PgRequestNames names = new PgRequestNames();
        PgBytes.feed(client(), 5, names::feed);
        assertThat(names.name(1)).isEqualTo("SELECT pg_backend_pid()");
        assertThat(names.name(6)).isEqualTo("COPY t FROM ...");
        assertThat(names.name(7)).isEqualTo("COPY t FROM ...");
        assertThat(names.name(8)).isEqualTo("SELECT 1; SELECT ...");
        assertThat(names.name(9)).isNull();
    }

    /** Digest head (the digested bytes), total and frame ends of an answer stream through {@code filter}. */
    private static String digest(FramingAnswerFilter filter, Consumer<Consumer<ByteBuf>> feeding, List<Long> ends,
            ByteArrayOutputStream digested) {
        BlockDigester d = new BlockDigester((i, crc) -> { });
        d.keepHead(1 << 16);
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
        feeding.accept(b -> filter.feed(b, d));
        if (digested != null) {
            digested.writeBytes(d.head());
        }
        return d.total() + "/" + d.partialCrc() + "/" + filter.frames();
    }

    private static PgAnswerFilter told(PgAnswerFilter f) {
        f.expect(1, Exchange.NOISE);
        f.expect(3, Exchange.NOISE);
        return f;
    }

    @Test
    void noisyRepliesOfOtherLengthsDigestAlikeAndTheStartupPhaseIsSkipped() {
        byte[] primary = primaryAnswers("4242", "2026-12-02 15:00:00.123456+00", "INSERT 0 1");
        byte[] replica = replicaAnswers("77", "2026-12-02 15:00:01+00", "INSERT 0 1");
        List<Long> replicaEnds = new ArrayList<>();
        String want = digest(told(new PgAnswerFilter(false)), t -> PgBytes.feed(replica, replica.length, t),
            replicaEnds, null);
        assertThat(want).endsWith("/10"); // 8 ReadyForQuery, 2 CopyInResponse
        assertThat(replicaEnds).hasSize(10).allMatch(e -> e > 0);
        everyCut(primary, feeding -> {
            List<Long> ends = new ArrayList<>();
            assertThat(digest(told(new PgAnswerFilter(true)), feeding, ends, null)).isEqualTo(want);
            assertThat(ends.subList(0, 5)).as("SSL answer, R, S, K, Z: skipped frames").allMatch(e -> e < 0);
            assertThat(ends.subList(5, ends.size())).hasSize(10).allMatch(e -> e > 0);
        });
        everyCut(replica, feeding -> assertThat(digest(told(new PgAnswerFilter(false)), feeding, new ArrayList<>(),
            null)).isEqualTo(want));
    }

    @Test
    void aComparedReplyThatDiffersIsFoundAtItsRequest() {
        byte[] primary = primaryAnswers("4242", "now", "INSERT 0 1");
        byte[] replica = replicaAnswers("4242", "now", "INSERT 0 2");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        String dp = digest(told(new PgAnswerFilter(true)), t -> PgBytes.feed(primary, 3, t), new ArrayList<>(), p);
        PgAnswerFilter rf = told(new PgAnswerFilter(false));
        String dr = digest(rf, t -> PgBytes.feed(replica, 3, t), new ArrayList<>(), r);
        assertThat(dr).isNotEqualTo(dp);
        byte[] pb = p.toByteArray();
        byte[] rb = r.toByteArray();
        int at = Arrays.mismatch(pb, rb);
        assertThat(at).isPositive();
        assertThat(rf.requestAt(at)).isEqualTo(2);
        assertThat(rf.requestAt(0)).isEqualTo(1);
    }

    /** What one session's front produced. */
    private static final class Front implements RequestSink {
        final ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        final PgAnswerFilter primary = new PgAnswerFilter(true);
        final ProtocolStats stats = new ProtocolStats();
        final PgClientFilter filter = new PgClientFilter(primary, this, stats);

        @Override
        public void replay(ByteBuf bytes) {
            replayed.writeBytes(ByteBufUtil.getBytes(bytes));
            bytes.release();
        }

        @Override
        public void expect(long ordinal, int exchange) {
            events.add("expect " + ordinal + " " + exchange + " after " + replayed.size());
        }

        @Override
        public void unreplicate(String what) {
            events.add("unreplicate " + what);
        }

        @Override
        public void ungate(String why) {
            events.add("ungate " + why);
        }
    }

    private static Front front(Consumer<Consumer<ByteBuf>> feeding) {
        Front f = new Front();
        List<ByteBuf> inputs = new ArrayList<>();
        feeding.accept(b -> {
            inputs.add(b.retain());
            f.filter.clientBytes(b);
        });
        f.filter.close();
        for (ByteBuf b : inputs) {
            assertThat(b.release()).as("every slice of the input released").isTrue();
        }
        return f;
    }

    /** Stream offsets just past each numbered request. */
    private static List<Long> requestEnds(byte[] data) {
        List<Long> ends = new ArrayList<>();
        PgRequestFramer f = new PgRequestFramer(new PgRequestFramer.Listener() {
            @Override
            public void startup(long end, String replication) {
            }

            @Override
            public void request(long number, boolean noisy, String name, long end) {
                ends.add(end);
            }

            @Override
            public void flush(long end) {
            }
        });
        PgBytes.feed(data, data.length, f::feed);
        return ends;
    }

    @Test
    void everyByteIsReplayedAndNoiseIsToldBeforeTheRequestsLastByte() {
        byte[] data = client();
        List<Long> ends = requestEnds(data);
        everyCut(data, feeding -> {
            Front f = front(feeding);
            assertThat(f.replayed.toByteArray()).isEqualTo(data);
            assertThat(f.events).hasSize(3);
            assertThat(f.events.get(0)).startsWith("expect 1 1 after ");
            assertThat(Long.parseLong(f.events.get(0).substring(17))).isLessThan(ends.get(0));
            assertThat(f.events.get(1)).startsWith("expect 3 1 after ");
            assertThat(Long.parseLong(f.events.get(1).substring(17))).isLessThan(ends.get(2));
            assertThat(f.events.get(2)).isEqualTo("ungate a Flush");
            assertThat(f.stats.requests.sum()).isEqualTo(9); // the ignored Sync included
            assertThat(f.stats.noisy.sum()).isEqualTo(2);
            assertThat(f.stats.ungated.sum()).isEqualTo(1);
        });
    }

    @Test
    void aReplicationConnectionIsNotReplicated() {
        byte[] data = new PgBytes().sslRequest().startup("user", "rep", "replication", "database")
            .msg('Q', "IDENTIFY_SYSTEM").bytes();
        everyCut(data, feeding -> {
            Front f = front(feeding);
            assertThat(f.replayed.size()).as("not a byte to the replicas").isZero();
            assertThat(f.events).containsExactly("unreplicate a startup message with replication=database");
            assertThat(f.stats.unreplicated.sum()).isEqualTo(1);
        });
        byte[] plain = new PgBytes().startup("user", "u", "replication", "false").msg('Q', "SELECT 1").bytes();
        assertThat(front(t -> PgBytes.feed(plain, 4, t)).replayed.toByteArray()).isEqualTo(plain);
    }

    @Test
    void garbageIsAFramingErrorAfterWhichTheStreamIsReplayedAsBytes() {
        byte[] data = new PgBytes().startup("user", "u").msg('Q', "SELECT 1")
            .raw("\u0001\u0002hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).msg('Q', "SELECT 2")
            .bytes();
        everyCut(data, feeding -> {
            Front f = front(feeding);
            assertThat(f.replayed.toByteArray()).isEqualTo(data);
            assertThat(f.filter.bytesMode()).isTrue();
            assertThat(f.filter.error()).contains("unknown message type 0x1");
            assertThat(f.events).containsExactly("ungate framing error");
            assertThat(f.stats.framingErrors.sum()).isEqualTo(1);
        });
        byte[] notStartup = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Front f = front(t -> PgBytes.feed(notStartup, 3, t));
        assertThat(f.replayed.toByteArray()).isEqualTo(notStartup);
        assertThat(f.filter.error()).startsWith("not a PostgreSQL 3 startup message");
    }

    @Test
    void answersThatStopBeingFramedAreDigestedAsBytes() {
        byte[] answers = new PgBytes().msg('C', "SELECT 1").ready().raw(new byte[] {(byte) 0xff, 1, 2, 3})
            .ready().bytes();
        everyCut(answers, feeding -> {
            List<Long> ends = new ArrayList<>();
            PgAnswerFilter f = new PgAnswerFilter(false);
            String d = digest(f, feeding, ends, null);
            assertThat(f.failed()).isTrue();
            assertThat(ends).containsExactly((long) new PgBytes().msg('C', "SELECT 1").ready().bytes().length,
                Long.MIN_VALUE);
            assertThat(d).startsWith(answers.length + "/"); // every byte digested
        });
    }

    @Test
    void noInputThrows() {
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            if (i % 2 == 0 && data.length > 8) {
                System.arraycopy(new PgBytes().startup("user", "u").bytes(), 0, data, 0, 8);
            }
            int size = 1 + i % 5;
            front(t -> PgBytes.feed(data, size, t));
            for (boolean primary : new boolean[] {true, false}) {
                PgAnswerFilter f = new PgAnswerFilter(primary);
                BlockDigester d = new BlockDigester((k, crc) -> { });
                PgBytes.feed(data, 3, b -> f.feed(b, d));
                assertThat(d.total()).isLessThanOrEqualTo(data.length);
            }
        }
    }
}
