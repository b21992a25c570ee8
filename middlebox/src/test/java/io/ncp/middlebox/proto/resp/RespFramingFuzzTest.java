package io.ncp.middlebox.proto.resp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ncp.middlebox.config.RedisPolicy;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for RESP framing (docs/fuzzing.md, {@code respframe}): the input is used both as a client stream and as
 * an answer stream, each framed once in one read and once cut into small reads (size derived from the input).
 *
 * <p>Oracle: nothing is thrown (bad input is a framing error, never an exception); the requests, reply ends and
 * verdicts do not depend on how the stream was cut; the client filter passes on the same bytes however cut; every
 * input buffer is released once the filter (which holds retained slices of incomplete requests) is closed.
 */
class RespFramingFuzzTest {

    private static final RespPolicy POLICY = new RespPolicy(RedisPolicy.DEFAULTS);

    @FuzzTest(maxDuration = "8s")
    void streams(byte[] input) {
        int cut = 1 + input.length % 7;
        assertThat(requests(input, cut)).isEqualTo(requests(input, Math.max(1, input.length)));
        assertThat(replies(input, cut)).isEqualTo(replies(input, Math.max(1, input.length)));
        assertThat(filtered(input, cut)).isEqualTo(filtered(input, Math.max(1, input.length)));
    }

    private static List<String> requests(byte[] input, int size) {
        List<String> out = new ArrayList<>();
        RespRequestFramer f = new RespRequestFramer(r -> out.add(r.args() + "/" + r.argc() + "@" + r.start() + "-"
            + r.end()));
        RespTestBytes.feed(input, size, f::feed);
        out.add("failed=" + f.failed() + " at " + f.errorOffset() + " " + f.error());
        return out;
    }

    private static List<Long> replies(byte[] input, int size) {
        List<Long> out = new ArrayList<>();
        RespReplyFramer f = new RespReplyFramer(new RespReplyFramer.Listener() {
            @Override
            public void replyStart(long offset, byte type) {
                out.add(-offset - 1);
            }

            @Override
            public void replyEnd(long offset) {
                out.add(offset);
            }
        });
        RespTestBytes.feed(input, size, f::feed);
        out.add(f.failed() ? 1L : 0L);
        return out;
    }

    private static String filtered(byte[] input, int size) {
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        List<ByteBuf> seen = new ArrayList<>();
        RespClientFilter filter = new RespClientFilter(POLICY, new RespAnswerFilter(), new RequestSink() {
            @Override
            public void replay(ByteBuf bytes) {
                passed.writeBytes(ByteBufUtil.getBytes(bytes));
                seen.add(bytes);
                bytes.release();
            }

            @Override
            public void expect(long ordinal, int exchange) {
            }

            @Override
            public void ungate(String why) {
            }

            @Override
            public void unreplicate(String command) {
            }
        }, new ProtocolStats());
        List<ByteBuf> inputs = new ArrayList<>();
        RespTestBytes.feed(input, size, b -> {
            inputs.add(b);
            filter.clientBytes(b);
        });
        filter.close();
        for (ByteBuf b : inputs) {
            assertThat(b.refCnt()).as("input buffer released").isZero();
        }
        return filter.bytesMode() + " " + filter.unreplicated() + " " + new String(passed.toByteArray(),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
