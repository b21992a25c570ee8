package io.ncp.middlebox.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockDigester#resumeAt}: a digester that takes over a stream at some offset, from the other one's total and
 * partial CRC, produces the blocks, total and final partial CRC the other one would have, so the two compare equal.
 */
class ResumedDigestTest {

    private static void feed(BlockDigester d, byte[] data, int from, int to, int chunk) {
        for (int pos = from; pos < to; pos += chunk) {
            ByteBuf b = Unpooled.wrappedBuffer(data, pos, Math.min(chunk, to - pos));
            d.update(b);
            b.release();
        }
    }

    @Test
    void aResumedDigesterContinuesTheStreamsBlocksWhereverItTakesOver() {
        byte[] data = new byte[3 * BlockDigester.BLOCK + 777];
        new Random(3).nextBytes(data);
        List<Long> wholeIdx = new ArrayList<>();
        List<Integer> whole = new ArrayList<>();
        BlockDigester all = new BlockDigester((i, crc) -> {
            wholeIdx.add(i);
            whole.add(crc);
        });
        feed(all, data, 0, data.length, 10_000);
        int block = BlockDigester.BLOCK;
        int[] cuts = {0, 1, 5000, block, block + 17, 2 * block - 1, data.length};
        for (int cut : cuts) {
            BlockDigester before = new BlockDigester((i, crc) -> { });
            feed(before, data, 0, cut, 9_999);
            List<Integer> after = new ArrayList<>();
            List<Long> afterIdx = new ArrayList<>();
            BlockDigester resumed = new BlockDigester((i, crc) -> {
                afterIdx.add(i);
                after.add(crc);
            });
            resumed.resumeAt(before.total(), before.partialCrc());
            feed(resumed, data, cut, data.length, 4_321);
            int first = cut / BlockDigester.BLOCK;
            assertThat(after).as("cut at %d", cut).isEqualTo(whole.subList(first, whole.size()));
            assertThat(afterIdx).isEqualTo(wholeIdx.subList(first, wholeIdx.size()));
            assertThat(resumed.total()).isEqualTo(all.total());
            assertThat(resumed.partialCrc()).as("cut at %d", cut).isEqualTo(all.partialCrc());
        }
    }

    @Test
    void aByteThatDiffersAfterTheCutChangesTheResumedBlock() {
        byte[] data = new byte[BlockDigester.BLOCK + 100];
        new Random(5).nextBytes(data);
        List<Integer> whole = new ArrayList<>();
        BlockDigester all = new BlockDigester((i, crc) -> whole.add(crc));
        feed(all, data, 0, data.length, 8192);
        BlockDigester before = new BlockDigester((i, crc) -> { });
        feed(before, data, 0, 1000, 8192);
        byte[] other = data.clone();
        other[2000] ^= 1;
        List<Integer> after = new ArrayList<>();
        BlockDigester resumed = new BlockDigester((i, crc) -> after.add(crc));
        resumed.resumeAt(before.total(), before.partialCrc());
        feed(resumed, other, 1000, other.length, 8192);
        assertThat(after).hasSize(1);
        assertThat(after.get(0)).isNotEqualTo(whole.get(0));
    }

    @Test
    void maskedZerosAfterTheCutDigestLikeTheWholeStream() {
        BlockDigester all = new BlockDigester((i, crc) -> { });
        BlockDigester before = new BlockDigester((i, crc) -> { });
        ByteBuf head = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        all.update(head);
        before.update(head);
        head.release();
        all.updateZeros(8);
        BlockDigester resumed = new BlockDigester((i, crc) -> { });
        resumed.resumeAt(before.total(), before.partialCrc());
        resumed.updateZeros(8);
        assertThat(resumed.partialCrc()).isEqualTo(all.partialCrc());
        assertThat(resumed.total()).isEqualTo(11);
    }
}
