package io.ncp.middlebox.proto.pg;

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
 * Fuzz target for PostgreSQL framing (docs/fuzzing.md, {@code pgframe}): the input is used as a client stream (the
 * request framer and the front's filter) and as an answer stream (the primary's filter, with its startup phase, and
 * a replica's), each in one read and cut into small reads (size derived from the input).
 *
 * <p>Oracle: nothing is thrown (bad input is a framing error); requests, frames, digests and what the front passes on
 * do not depend on how the stream was cut; the front passes on every byte unless the session is a replication
 * connection; every input buffer is released once the filter is closed.
 */
class PgFramingFuzzTest {

    @FuzzTest(maxDuration = "8s")
    void streams(byte[] input) {
        int cut = 1 + input.length % 7;
        int whole = Math.max(1, input.length);
        assertThat(requests(input, cut)).isEqualTo(requests(input, whole));
        assertThat(front(input, cut)).isEqualTo(front(input, whole));
        for (boolean primary : new boolean[] {true, false}) {
            assertThat(answers(input, cut, primary)).isEqualTo(answers(input, whole, primary));
        }
    }

    private static List<String> requests(byte[] input, int size) {
        List<String> out = new ArrayList<>();
        PgRequestFramer f = new PgRequestFramer(new PgRequestFramer.Listener() {
            @Override
            public void startup(long end, String replication) {
                out.add("startup@" + end + " " + replication);
            }

            @Override
            public void request(long number, boolean noisy, String name, long end) {
                out.add(number + " " + noisy + " " + name + "@" + end);
            }

            @Override
            public void flush(long end) {
                out.add("flush@" + end);
            }
        });
        PgBytes.feed(input, size, f::feed);
        out.add("failed=" + f.failed() + " " + f.error());
        return out;
    }

    private static String front(byte[] input, int size) {
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        List<String> events = new ArrayList<>();
        PgAnswerFilter primary = new PgAnswerFilter(true);
        PgClientFilter filter = new PgClientFilter(primary, new RequestSink() {
            @Override
            public void replay(ByteBuf bytes) {
                passed.writeBytes(ByteBufUtil.getBytes(bytes));
                bytes.release();
            }

            @Override
            public void expect(long ordinal, int exchange) {
                events.add("expect " + ordinal);
            }

            @Override
            public void unreplicate(String what) {
                events.add("unreplicate");
            }

            @Override
            public void ungate(String why) {
                events.add("ungate " + why);
            }
        }, new ProtocolStats());
        List<ByteBuf> inputs = new ArrayList<>();
        PgBytes.feed(input, size, b -> {
            inputs.add(b.retain());
            filter.clientBytes(b);
        });
        filter.close();
        for (ByteBuf b : inputs) {
            assertThat(b.release()).as("input buffer released").isTrue();
        }
        byte[] out = passed.toByteArray();
        if (!filter.unreplicated() && (filter.bytesMode() || out.length > 0)) {
            assertThat(input).as("every byte passed on").startsWith(out);
        }
        return filter.bytesMode() + " " + filter.unreplicated() + " " + events + " "
            + new String(out, StandardCharsets.ISO_8859_1);
    }

    private static List<Long> answers(byte[] input, int size, boolean primary) {
        List<Long> out = new ArrayList<>();
        PgAnswerFilter f = new PgAnswerFilter(primary);
        f.expect(2, Exchange.NOISE);
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
        PgBytes.feed(input, size, b -> f.feed(b, d));
        out.add(d.total());
        out.add((long) d.partialCrc());
        out.add(f.frames());
        out.add(f.requestAt(d.total()));
        return out;
    }
}
