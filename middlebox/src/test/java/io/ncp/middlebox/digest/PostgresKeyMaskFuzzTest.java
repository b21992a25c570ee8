package io.ncp.middlebox.digest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for {@link PostgresKeyMask}, the filter that reads a PostgreSQL server's answer stream (docs/fuzzing.md).
 * The input builds a stream: a few SSL/GSSENC answer bytes, well-framed backend messages of fuzzed types and bodies,
 * then arbitrary trailing bytes.
 *
 * <p>Oracle: the digest does not depend on how the stream is cut into reads; replacing the bodies of BackendKeyData
 * ('K') messages by other bytes does not change it (they are masked); changing a byte of any other message body
 * but RowDescription ('T', whose catalog ids are masked) does. No exception may escape.
 */
class PostgresKeyMaskFuzzTest {

    /** Message types; the first message is never 'N' or 'S' (those bytes before it are SSL/GSSENC answers). */
    private static final String TYPES = "KRZCDTEIsAv1nNS";

    /** Seeds: fixed pseudo-random inputs (the stream is built from the input, not read from it). */
    @FuzzTest(maxDuration = "8s")
    void answerStream(FuzzedDataProvider data) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream masked = new ByteArrayOutputStream();
        List<Integer> plainBodyBytes = new ArrayList<>();
        int answers = data.consumeInt(0, 2);
        for (int i = 0; i < answers; i++) {
            int b = data.consumeBoolean() ? 'N' : 'S';
            a.write(b);
            masked.write(b);
        }
        int messages = data.consumeInt(0, 8);
        for (int i = 0; i < messages; i++) {
            char type = TYPES.charAt(data.consumeInt(0, TYPES.length() - (i == 0 ? 3 : 1)));
            byte[] body = data.consumeBytes(data.consumeInt(0, 64));
            byte[] header = {(byte) type, 0, 0, (byte) ((body.length + 4) >> 8), (byte) (body.length + 4)};
            a.writeBytes(header);
            masked.writeBytes(header);
            if (type != 'K' && type != 'T') { // RowDescription's catalog ids are masked: RowDescriptionMaskTest
                for (int k = 0; k < body.length; k++) {
                    plainBodyBytes.add(a.size() + k);
                }
            }
            a.writeBytes(body);
            for (byte x : body) {
                masked.write(type == 'K' ? ~x : x);
            }
        }
        byte[] tail = data.consumeRemainingAsBytes();
        a.writeBytes(tail);
        masked.writeBytes(tail);
        byte[] stream = a.toByteArray();
        int read = 1 + stream.length % 11;
        Digest whole = digest(stream, Math.max(1, stream.length));
        assertThat(digest(stream, read)).as("cut into reads of " + read).isEqualTo(whole);
        assertThat(digest(masked.toByteArray(), read)).as("BackendKeyData bodies masked").isEqualTo(whole);
        if (!plainBodyBytes.isEmpty()) {
            byte[] changed = stream.clone();
            int at = plainBodyBytes.get(stream.length % plainBodyBytes.size());
            changed[at] ^= 0x01;
            assertThat(digest(changed, read)).as("byte " + at + " of a plain message changed").isNotEqualTo(whole);
        }
    }

    /** Block digests, total and the partial block's CRC of a stream. */
    record Digest(List<Integer> blocks, long total, int partial) {
    }

    private static Digest digest(byte[] stream, int readSize) {
        List<Integer> blocks = new ArrayList<>();
        BlockDigester d = new BlockDigester((i, crc) -> blocks.add(crc));
        PostgresKeyMask mask = new PostgresKeyMask();
        for (int at = 0; at < stream.length; at += readSize) {
            ByteBuf read = Unpooled.wrappedBuffer(stream, at, Math.min(readSize, stream.length - at));
            int index = read.readerIndex();
            mask.feed(read, d);
            assertThat(read.readerIndex()).as("indices unchanged").isEqualTo(index);
            read.release();
        }
        return new Digest(blocks, d.total(), d.partialCrc());
    }
}
