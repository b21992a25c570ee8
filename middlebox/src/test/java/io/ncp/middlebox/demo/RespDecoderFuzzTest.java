package io.ncp.middlebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the demo's {@link RespDecoder} (docs/fuzzing.md): the input is a client's byte stream, decoded
 * once in one piece and once cut into reads of a few bytes (the size derived from the input).
 *
 * <p>Oracle: the only failure is a {@link CorruptedFrameException} (bad input: the server closes the connection);
 * both decodings give the same commands and the same verdict (how TCP cuts the stream must not matter); every
 * input buffer is released (checked by reference count, not by garbage collection). Any other exception, or an
 * error, is a bug.
 */
class RespDecoderFuzzTest {

    /** Seeds: RESP arrays (SET/GET/PING, empty and binary bulk strings), inline commands, pipelines. */
    @FuzzTest(maxDuration = "8s")
    void respStream(byte[] input) {
        Outcome whole = decode(input, Math.max(1, input.length));
        Outcome pieces = decode(input, 1 + input.length % 7);
        assertThat(pieces.commands()).as("commands, cut into reads").isEqualTo(whole.commands());
        assertThat(pieces.failure() != null).as("verdict, cut into reads").isEqualTo(whole.failure() != null);
    }

    /** The commands decoded and the failure that ended decoding (null: none). */
    record Outcome(List<List<String>> commands, Throwable failure) {
    }

    private static Outcome decode(byte[] input, int readSize) {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder());
        List<List<String>> commands = new ArrayList<>();
        List<ByteBuf> reads = new ArrayList<>();
        Throwable failure = null;
        try {
            for (int at = 0; at < input.length && failure == null; at += readSize) {
                ByteBuf read = Unpooled.copiedBuffer(input, at, Math.min(readSize, input.length - at));
                reads.add(read);
                try {
                    ch.writeInbound(read);
                } catch (CorruptedFrameException e) {
                    failure = e;
                }
                drain(ch, commands);
            }
        } finally {
            try {
                ch.finishAndReleaseAll(); // end of stream: the decoder sees what is left once more
            } catch (CorruptedFrameException e) {
                failure = failure == null ? e : failure;
            }
        }
        assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).as("input buffer released").isZero());
        return new Outcome(commands, failure);
    }

    @SuppressWarnings("unchecked")
    private static void drain(EmbeddedChannel ch, List<List<String>> into) {
        Object m;
        while ((m = ch.readInbound()) != null) {
            assertThat(m).isInstanceOf(List.class);
            List<String> cmd = (List<String>) m;
            assertThat(cmd).isNotEmpty().doesNotContainNull();
            into.add(cmd);
        }
    }
}
