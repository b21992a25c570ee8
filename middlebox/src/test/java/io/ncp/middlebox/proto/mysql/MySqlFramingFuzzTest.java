package io.ncp.middlebox.proto.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
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

/**
 * Fuzz target for MySQL framing (docs/fuzzing.md, {@code myframe}): the input is used as a client stream (the request
 * framer, the request names and the front's filter) and as an answer stream (the primary's filter, with its greeting
 * and authentication, and a replica's; with and without CLIENT_DEPRECATE_EOF), each in one read and cut into small
 * reads (size derived from the input).
 *
 * <p>Oracle: nothing is thrown (bad input is a framing error); requests, names, frames, digests and what the front
 * passes on do not depend on how the stream was cut; the front passes on every byte (but the first 4 at most of a
 * packet that may be a command, held until its command byte comes) unless the session became a replication client;
 * every input buffer is released.
 */
class MySqlFramingFuzzTest {

    @FuzzTest(maxDuration = "8s")
    void streams(byte[] input) {
        int cut = 1 + input.length % 7;
        int whole = Math.max(1, input.length);
        assertThat(requests(input, cut)).isEqualTo(requests(input, whole));
        assertThat(front(input, cut)).isEqualTo(front(input, whole));
        for (boolean primary : new boolean[] {true, false}) {
            for (boolean deprecateEof : new boolean[] {true, false}) {
                assertThat(answers(input, cut, primary, deprecateEof))
                    .isEqualTo(answers(input, whole, primary, deprecateEof));
            }
        }
    }

    private static List<String> requests(byte[] input, int size) {
        List<String> out = new ArrayList<>();
        MySqlRequestNames names = new MySqlRequestNames();
        MySqlRequestFramer f = new MySqlRequestFramer(new MySqlRequestFramer.Listener() {
            @Override
            public void handshake(int capabilities) {
                out.add("handshake " + capabilities);
            }

            @Override
            public void command(int command, long start) {
                out.add("command " + command + "@" + start);
            }

            @Override
            public void request(long number, int command, String sql, long statement, long end) {
                out.add(number + " " + command + " " + sql + " " + statement + "@" + end);
            }
        });
        MySqlBytes.feed(input, size, b -> {
            f.feed(b);
            names.feed(b);
        });
        out.add("failed=" + f.failed() + " " + f.error());
        for (long n = 1; n <= 3; n++) {
            out.add(names.name(n));
        }
        return out;
    }

    private static String front(byte[] input, int size) {
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        List<String> events = new ArrayList<>();
        MySqlAnswerFilter primary = new MySqlAnswerFilter(true);
        MySqlClientFilter filter = new MySqlClientFilter(primary, new RequestSink() {
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
        }, new ProtocolStats());
        List<ByteBuf> inputs = new ArrayList<>();
        MySqlBytes.feed(input, size, b -> {
            inputs.add(b.retain());
            filter.clientBytes(b);
        });
        filter.close();
        for (ByteBuf b : inputs) {
            assertThat(b.release()).as("input buffer released").isTrue();
        }
        byte[] out = passed.toByteArray();
        if (filter.bytesMode()) {
            assertThat(out).as("every byte passed on").isEqualTo(input);
        } else if (!filter.unreplicated()) {
            assertThat(input).as("every byte passed on").startsWith(out);
            assertThat(input.length - out.length).as("but the start of a packet that may be a command").isLessThan(5);
        } else {
            assertThat(input).as("the bytes before the replication command passed on").startsWith(out);
        }
        return filter.bytesMode() + " " + filter.unreplicated() + " " + events + " "
            + new String(out, StandardCharsets.ISO_8859_1);
    }

    private static List<Long> answers(byte[] input, int size, boolean primary, boolean deprecateEof) {
        List<Long> out = new ArrayList<>();
        MySqlAnswerFilter f = new MySqlAnswerFilter(primary);
        f.expect(0, deprecateEof ? MySqlAnswerFilter.CLIENT_DEPRECATE_EOF : 0);
        f.expect(2, Exchange.NOISE | Exchange.MYSQL_PREPARE);
        f.expect(3, Exchange.MYSQL_TEXT);
        f.expect(4, Exchange.MYSQL_FIELDS);
        f.expect(5, Exchange.MYSQL_ROWS);
        f.listener(new FramingAnswerFilter.FrameListener() {
            @Override
            public void frame(long end, boolean skipped) {
                out.add(skipped ? -end : end);
            }

            @Override
            public void framingFailed() {
                out.add(Long.MIN_VALUE);
            }
        });
        BlockDigester d = new BlockDigester((i, crc) -> out.add((long) crc));
        MySqlBytes.feed(input, size, b -> f.feed(b, d));
        out.add(d.total());
        out.add((long) d.partialCrc());
        out.add(f.frames());
        out.add(f.requestAt(d.total()));
        out.add(f.noisyStatement(1) ? 1L : 0L);
        return out;
    }
}
