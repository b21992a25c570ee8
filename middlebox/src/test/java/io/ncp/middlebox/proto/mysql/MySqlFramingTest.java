package io.ncp.middlebox.proto.mysql;

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
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * MySQL framing on plain buffers, every stream also cut at every byte boundary and read byte by byte: commands
 * numbered as the server answers them (LOCAL INFILE data whose sequence ids wrap to 0 included), replies paired with
 * them with and without CLIENT_DEPRECATE_EOF (result sets, multi-results, prepared statements, LOCAL INFILE,
 * COM_STATISTICS), noisy replies compared by their first byte, the query-execution status bits not compared, the
 * greeting and authentication skipped on the primary's side, replication clients not replicated, garbage as a framing
 * error.
 */
class MySqlFramingTest {

    /** Data packets of the LOCAL INFILE: enough for the sequence id to wrap past 255 to 0. */
    private static final int INFILE_PACKETS = 300;

    /** A session: handshake, an auth switch response, eight answered commands, a statement close and a quit. */
    static byte[] client(boolean deprecateEof) {
        MySqlBytes b = new MySqlBytes().handshake(MySqlBytes.PROTOCOL_41 | MySqlBytes.SECURE_CONNECTION
            | MySqlBytes.PLUGIN_AUTH | (deprecateEof ? MySqlBytes.DEPRECATE_EOF : 0))
            .packet(3, new byte[20])                                                  // auth switch response
            .command(MySqlCommands.QUERY, "SELECT NOW()")                              // 1 noisy
            .command(MySqlCommands.QUERY, "INSERT INTO t (v) VALUES ('a')")            // 2
            .command(MySqlCommands.STMT_PREPARE, "SELECT v FROM t WHERE id = ?")       // 3 prepare
            .statement(MySqlCommands.STMT_EXECUTE, 1)                                  // 4
            .statement(MySqlCommands.STMT_CLOSE, 1)                                    // (no reply)
            .command(MySqlCommands.QUERY, "LOAD DATA LOCAL INFILE 'f' INTO TABLE t");  // 5 infile
        for (int i = 0; i < INFILE_PACKETS; i++) {
            b.packet(2 + i, "x\n");
        }
        return b.packet(2 + INFILE_PACKETS, new byte[0])
            .command(0x0e, "")                                                         // 6 COM_PING
            .command(MySqlCommands.STATISTICS, "")                                     // 7 noisy text
            .command(MySqlCommands.QUERY, "SELECT 1; SELECT 2")                        // 8 two results
            .command(MySqlCommands.QUIT, "")
            .bytes();
    }

    static final List<String> REQUESTS = List.of("handshake", "1 SELECT NOW()", "2 INSERT INTO t ...",
        "3 PREPARE SELECT v FROM ...", "4 COM_STMT_EXECUTE #1", "0 COM_STMT_CLOSE", "5 LOAD DATA LOCAL ...",
        "6 COM_PING", "7 COM_STATISTICS", "8 SELECT 1; SELECT ...", "0 COM_QUIT");

    /** The greeting, an auth switch request and the auth OK, as a primary sends them before its replies. */
    static MySqlBytes greeting() {
        return new MySqlBytes().packet(0, "\n10.11.0-MariaDB\0\1\0\0\0abcdefgh\0\u00ff\u00f7\u0008\u0002\0"
            + "\u00ff\u0081\u0015\0\0\0\0\0\0\u001d\0\0\0ijklmnopqrst\0mysql_native_password\0")
            .packet(2, "\u00femysql_native_password\0abcdefghijklmnopqrst\0")
            .ok(4, 0, 0, MySqlBytes.AUTOCOMMIT);
    }

    /**
     * The replies to {@link #client}: {@code now} the SELECT NOW() value, {@code inserted} the INSERT's affected rows,
     * {@code status} extra status bits of the INSERT's OK.
     */
    static byte[] replies(MySqlBytes b, boolean deprecateEof, String now, int inserted, int status) {
        b.resultSet(deprecateEof, MySqlBytes.AUTOCOMMIT, "NOW()", now)
            .ok(1, 0, inserted, MySqlBytes.AUTOCOMMIT | status)
            .packet(1, new byte[] {0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0}) // prepare OK: 1 column, 1 param
            .column(2, "?");
        int seq = 3;
        if (!deprecateEof) {
            b.eof(seq++, MySqlBytes.AUTOCOMMIT);
        }
        b.column(seq++, "v");
        if (!deprecateEof) {
            b.eof(seq, MySqlBytes.AUTOCOMMIT);
        }
        b.packet(1, new byte[] {1}).column(2, "v");                                          // binary result set
        seq = 3;
        if (!deprecateEof) {
            b.eof(seq++, MySqlBytes.AUTOCOMMIT);
        }
        b.packet(seq++, new byte[] {0, 0, 1, 'a'});
        if (deprecateEof) {
            b.ok(seq, 0xfe, 0, MySqlBytes.AUTOCOMMIT);
        } else {
            b.eof(seq, MySqlBytes.AUTOCOMMIT);
        }
        return b.packet(1, "\u00fbf")                                                          // LOCAL INFILE request
            .ok((2 + INFILE_PACKETS + 1) & 0xff, 0, INFILE_PACKETS, MySqlBytes.AUTOCOMMIT)
            .ok(1, 0, 0, MySqlBytes.AUTOCOMMIT)                                                // PING
            .packet(1, "Uptime: " + now.length() + "  Threads: 1")                              // STATISTICS
            .resultSet(deprecateEof, MySqlBytes.AUTOCOMMIT | MySqlAnswerFilter.MORE_RESULTS, "1", "1")
            .resultSet(deprecateEof, MySqlBytes.AUTOCOMMIT, "2", "2")
            .bytes();
    }

    /** Feeds {@code data} every way: whole, cut in two at every offset, one byte at a time, seven at a time. */
    private static void everyCut(byte[] data, Consumer<Consumer<Consumer<ByteBuf>>> run) {
        for (int at = 0; at < data.length; at += Math.max(1, data.length / 400)) {
            int cut = at;
            run.accept(target -> MySqlBytes.split(data, cut, target));
        }
        run.accept(target -> MySqlBytes.feed(data, 1, target));
        run.accept(target -> MySqlBytes.feed(data, 7, target));
    }

    private static List<String> requests(Consumer<Consumer<ByteBuf>> feed) {
        List<String> out = new ArrayList<>();
        MySqlRequestNames names = new MySqlRequestNames();
        MySqlRequestFramer f = new MySqlRequestFramer(new MySqlRequestFramer.Listener() {
            @Override
            public void handshake(int capabilities) {
                out.add("handshake");
            }

            @Override
            public void command(int command, long start) {
            }

            @Override
            public void request(long number, int command, String sql, long statement, long end) {
                names.request(number, command, sql, statement, end);
                out.add(number + " " + (number > 0 ? names.name(number) : MySqlCommands.name(command)));
            }
        });
        feed.accept(f::feed);
        assertThat(f.failed()).as(f.error()).isFalse();
        return out;
    }

    @Test
    void commandsAreNumberedAsTheServerAnswersThemAndInfileDataIsNoCommand() {
        for (boolean deprecateEof : new boolean[] {false, true}) {
            everyCut(client(deprecateEof), feed -> assertThat(requests(feed)).isEqualTo(REQUESTS));
        }
    }

    /** What an answer filter reports: frame ends (negative: skipped), digests, frame count. */
    private record Framed(List<Long> frames, List<Integer> blocks, long total, int partial, long count,
                          boolean failed) {
    }

    private static Framed answers(MySqlAnswerFilter f, Consumer<Consumer<ByteBuf>> feed) {
        List<Long> frames = new ArrayList<>();
        boolean[] failed = new boolean[1];
        f.listener(new FramingAnswerFilter.FrameListener() {
            @Override
            public void frame(long end, boolean skipped) {
                frames.add(skipped ? -end : end);
            }

            @Override
            public void framingFailed() {
                failed[0] = true;
            }
        });
        List<Integer> blocks = new ArrayList<>();
        BlockDigester d = new BlockDigester((i, crc) -> blocks.add(crc));
        feed.accept(b -> f.feed(b, d));
        return new Framed(frames, blocks, d.total(), d.partialCrc(), f.frames(), failed[0]);
    }

    /** A filter told the client's capabilities and the shapes and noise of {@link #client}'s commands. */
    private static MySqlAnswerFilter told(boolean primary, boolean deprecateEof, boolean noise) {
        MySqlAnswerFilter f = new MySqlAnswerFilter(primary);
        f.expect(0, MySqlBytes.PROTOCOL_41 | (deprecateEof ? MySqlBytes.DEPRECATE_EOF : 0));
        if (noise) {
            f.expect(1, Exchange.NOISE);
        }
        f.expect(3, Exchange.MYSQL_PREPARE);
        f.expect(7, Exchange.MYSQL_TEXT | (noise ? Exchange.NOISE : 0));
        return f;
    }

    @Test
    void repliesAreFramedWithAndWithoutDeprecateEof() {
        for (boolean deprecateEof : new boolean[] {false, true}) {
            byte[] replica = replies(new MySqlBytes(), deprecateEof, "2026-12-02 10:00:00", 1, 0);
            Framed whole = answers(told(false, deprecateEof, true), t -> MySqlBytes.feed(replica, replica.length, t));
            assertThat(whole.failed()).isFalse();
            assertThat(whole.count()).as("8 replies and the LOCAL INFILE request").isEqualTo(9);
            assertThat(whole.frames()).hasSize(9).allMatch(e -> e > 0);
            assertThat(whole.frames().get(8)).isEqualTo(replica.length);
            everyCut(replica, feed -> assertThat(answers(told(false, deprecateEof, true), feed)).isEqualTo(whole));

            byte[] primary = replies(greeting(), deprecateEof, "2026-12-02 10:00:00", 1, 0);
            Framed p = answers(told(true, deprecateEof, true), t -> MySqlBytes.feed(primary, primary.length, t));
            assertThat(p.frames()).as("greeting, auth switch, auth OK: skipped").hasSize(12);
            assertThat(p.frames().subList(0, 3)).allMatch(e -> e < 0);
            assertThat(p.count()).isEqualTo(9);
            assertThat(List.of(p.blocks(), p.total(), p.partial())).as("the primary digests as the replica")
                .isEqualTo(List.of(whole.blocks(), whole.total(), whole.partial()));
            everyCut(primary, feed -> assertThat(answers(told(true, deprecateEof, true), feed)).isEqualTo(p));
        }
    }

    @Test
    void noiseAndExecutionStatusBitsAreNotComparedButAnswersAre() {
        for (boolean deprecateEof : new boolean[] {false, true}) {
            byte[] a = replies(new MySqlBytes(), deprecateEof, "2026-12-02 10:00:00", 1, 0);
            byte[] otherClock = replies(new MySqlBytes(), deprecateEof, "2026-12-02 10:00:01.5", 1, 0);
            byte[] slow = replies(new MySqlBytes(), deprecateEof, "2026-12-02 10:00:00", 1, 0x0800 | 0x0020);
            byte[] twoRows = replies(new MySqlBytes(), deprecateEof, "2026-12-02 10:00:00", 2, 0);
            Framed base = answers(told(false, deprecateEof, true), t -> MySqlBytes.feed(a, a.length, t));
            assertThat(digest(answers(told(false, deprecateEof, true), t -> MySqlBytes.feed(otherClock, 9, t))))
                .as("a noisy reply: first byte only").isEqualTo(digest(base));
            assertThat(digest(answers(told(false, deprecateEof, false), t -> MySqlBytes.feed(otherClock, 9, t))))
                .as("the same reply compared").isNotEqualTo(digest(answers(told(false, deprecateEof, false),
                    t -> MySqlBytes.feed(a, 9, t))));
            assertThat(digest(answers(told(false, deprecateEof, true), t -> MySqlBytes.feed(slow, 5, t))))
                .as("SERVER_QUERY_WAS_SLOW, NO_INDEX_USED").isEqualTo(digest(base));
            MySqlAnswerFilter f = told(false, deprecateEof, true);
            BlockDigester d = new BlockDigester((i, crc) -> { });
            MySqlBytes.feed(twoRows, 3, b -> f.feed(b, d));
            assertThat(digest(answers(told(false, deprecateEof, true), t -> MySqlBytes.feed(twoRows, 3, t))))
                .as("affected rows differ").isNotEqualTo(digest(base));
            assertThat(f.requestAt(0)).as("the noisy NOW() reply: digested as its first byte").isEqualTo(1);
            assertThat(f.requestAt(6)).as("the INSERT's affected rows, digest offset 1 + 4 + 1").isEqualTo(2);
        }
    }

    /** An OK packet (sequence id 1) with session state changes: system variables {@code names} set to utf8mb4. */
    private static byte[] sessionOk(String... names) {
        StringBuilder changes = new StringBuilder();
        for (String n : names) {
            String data = (char) n.length() + n + "\7utf8mb4";
            changes.append('\0').append((char) data.length()).append(data);
        }
        String payload = "\0\0\0" + (char) 0x02 + (char) 0x40 + "\0\0" + "\0" + (char) changes.length() + changes;
        return new MySqlBytes().packet(1, payload).bytes();
    }

    @Test
    void sessionStateChangesCompareWhateverTheirOrder() {
        byte[] a = sessionOk("character_set_client", "character_set_connection", "character_set_results");
        byte[] b = sessionOk("character_set_results", "character_set_client", "character_set_connection");
        byte[] other = sessionOk("character_set_results", "character_set_client", "character_set_database");
        List<Object> da = digest(answers(told(false, true, false), t -> MySqlBytes.feed(a, a.length, t)));
        assertThat(digest(answers(told(false, true, false), t -> MySqlBytes.feed(b, 3, t)))).isEqualTo(da);
        assertThat(digest(answers(told(false, true, false), t -> MySqlBytes.feed(other, 3, t)))).isNotEqualTo(da);
        Framed f = answers(told(false, true, false), t -> MySqlBytes.feed(b, 1, t));
        assertThat(f.count()).isEqualTo(1);
        assertThat(f.total()).isEqualTo(a.length);
    }

    /** A sink that records what it is told and collects the bytes it is given. */
    private static RequestSink sink(List<String> events, ByteArrayOutputStream passed) {
        return new RequestSink() {
            @Override
            public void replay(ByteBuf bytes) {
                passed.writeBytes(ByteBufUtil.getBytes(bytes));
                bytes.release();
            }

            @Override
            public void expect(long ordinal, int exchange) {
                events.add("expect " + ordinal + " " + exchange);
            }

            @Override
            public void unreplicate(String what) {
                events.add("unreplicate " + what);
            }

            @Override
            public void ungate(String why) {
                events.add("ungate " + why);
            }

            @Override
            public void nondeterministic(String what) {
                events.add("nondeterministic " + what);
            }
        };
    }

    @Test
    void writesThatCallPerServerFunctionsAreTold() {
        List<String> events = new ArrayList<>();
        MySqlClientFilter f = new MySqlClientFilter(new MySqlAnswerFilter(true), sink(events,
            new ByteArrayOutputStream()), new ProtocolStats());
        MySqlBytes.feed(new MySqlBytes().handshake(MySqlBytes.PROTOCOL_41)
            .command(MySqlCommands.QUERY, "/* app */ INSERT INTO users (name, created) VALUES ('a', NOW())")
            .command(MySqlCommands.QUERY, "SELECT NOW()")
            .command(MySqlCommands.QUERY, "INSERT INTO users (name) VALUES ('b')")
            .command(MySqlCommands.STMT_PREPARE, "update t set token = UUID() where id = ?").bytes(), 6,
            f::clientBytes);
        assertThat(events).containsExactly("expect 0 " + MySqlBytes.PROTOCOL_41,
            "nondeterministic /* app */ ...", "expect 2 " + Exchange.NOISE,
            "nondeterministic PREPARE update t set ...", "expect 4 " + Exchange.MYSQL_PREPARE);
    }

    @Test
    void theFrontTellsCapabilitiesShapesAndNoiseAndPassesEveryByte() {
        int caps = MySqlBytes.PROTOCOL_41 | MySqlBytes.SECURE_CONNECTION | MySqlBytes.PLUGIN_AUTH
            | MySqlBytes.DEPRECATE_EOF;
        byte[] client = client(true);
        everyCut(client, feed -> {
            List<String> events = new ArrayList<>();
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            MySqlAnswerFilter primary = new MySqlAnswerFilter(true);
            MySqlClientFilter f = new MySqlClientFilter(primary, sink(events, passed), new ProtocolStats());
            feed.accept(f::clientBytes);
            f.close();
            assertThat(events).containsExactly("expect 0 " + caps, "expect 1 " + Exchange.NOISE,
                "expect 3 " + Exchange.MYSQL_PREPARE, "expect 7 " + (Exchange.MYSQL_TEXT | Exchange.NOISE));
            assertThat(passed.toByteArray()).isEqualTo(client);
            assertThat(f.bytesMode()).isFalse();
        });
    }

    @Test
    void anExecuteOfANoisyPreparedStatementIsNoise() {
        List<String> events = new ArrayList<>();
        MySqlAnswerFilter primary = new MySqlAnswerFilter(true);
        MySqlClientFilter f = new MySqlClientFilter(primary, sink(events, new ByteArrayOutputStream()),
            new ProtocolStats());
        MySqlBytes.feed(new MySqlBytes().handshake(MySqlBytes.PROTOCOL_41)
            .command(MySqlCommands.STMT_PREPARE, "SELECT UUID(), ?")
            .command(MySqlCommands.STMT_PREPARE, "SELECT v FROM t WHERE id = ?").bytes(), 5, f::clientBytes);
        MySqlBytes.feed(greeting().packet(1, new byte[] {0, 7, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}).column(2, "?")
            .eof(3, MySqlBytes.AUTOCOMMIT).packet(1, new byte[] {0, 8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}).column(2, "?")
            .eof(3, MySqlBytes.AUTOCOMMIT).bytes(), 3, b -> primary.feed(b, null));
        assertThat(primary.noisyStatement(7)).isTrue();
        assertThat(primary.noisyStatement(8)).isFalse();
        MySqlBytes.feed(new MySqlBytes().statement(MySqlCommands.STMT_EXECUTE, 8)
            .statement(MySqlCommands.STMT_EXECUTE, 7).statement(MySqlCommands.STMT_EXECUTE,
                MySqlClientFilter.LAST_PREPARED).bytes(), 4, f::clientBytes);
        assertThat(events).containsExactly("expect 0 " + MySqlBytes.PROTOCOL_41,
            "expect 1 " + (Exchange.MYSQL_PREPARE | Exchange.NOISE), "expect 2 " + Exchange.MYSQL_PREPARE,
            "expect 4 " + Exchange.NOISE);
    }

    @Test
    void aBinlogDumpEndsReplicationBeforeItsBytesAndGarbageIsAFramingError() {
        byte[] head = new MySqlBytes().handshake(MySqlBytes.PROTOCOL_41)
            .command(MySqlCommands.QUERY, "SET @master_binlog_checksum = 'NONE'").bytes();
        byte[] dump = new MySqlBytes().raw(head).command(MySqlCommands.BINLOG_DUMP, "\4\0\0\0\0\0\1\0\0\0")
            .command(MySqlCommands.QUERY, "SELECT 1").bytes();
        everyCut(dump, feed -> {
            List<String> events = new ArrayList<>();
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            MySqlClientFilter f = new MySqlClientFilter(new MySqlAnswerFilter(true), sink(events, passed),
                new ProtocolStats());
            feed.accept(f::clientBytes);
            assertThat(events).containsExactly("expect 0 " + MySqlBytes.PROTOCOL_41, "unreplicate COM_BINLOG_DUMP");
            assertThat(f.unreplicated()).isTrue();
            assertThat(passed.toByteArray()).as("the bytes before the dump").isEqualTo(head);
        });
        byte[] garbage = new MySqlBytes().handshake(MySqlBytes.PROTOCOL_41).packet(0, new byte[0])
            .raw("more bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).bytes();
        List<String> events = new ArrayList<>();
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        ProtocolStats stats = new ProtocolStats();
        MySqlClientFilter f = new MySqlClientFilter(new MySqlAnswerFilter(true), sink(events, passed), stats);
        MySqlBytes.feed(garbage, 9, f::clientBytes);
        assertThat(f.bytesMode()).isTrue();
        assertThat(f.error()).isEqualTo("empty command packet");
        assertThat(events).containsExactly("expect 0 " + MySqlBytes.PROTOCOL_41, "ungate framing error");
        assertThat(passed.toByteArray()).isEqualTo(garbage);
        assertThat(stats.framingErrors.sum()).isEqualTo(1);

        Framed bad = answers(told(false, false, false), t -> MySqlBytes.feed(new MySqlBytes().packet(1, new byte[] {1})
            .column(2, "a").row(3, "not an EOF").bytes(), 4, t));
        assertThat(bad.failed()).as("a row where the EOF after the columns belongs").isTrue();
    }

    private static List<Object> digest(Framed f) {
        return List.of(f.blocks(), f.total(), f.partial());
    }
}
