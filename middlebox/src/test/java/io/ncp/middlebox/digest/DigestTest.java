package io.ncp.middlebox.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void blockDigestsDoNotDependOnHowTheStreamIsChunked() {
        byte[] data = new byte[3 * BlockDigester.BLOCK + 1234];
        new Random(7).nextBytes(data);
        List<Integer> whole = new ArrayList<>();
        BlockDigester a = new BlockDigester((i, crc) -> whole.add(crc));
        ByteBuf all = Unpooled.wrappedBuffer(data);
        a.update(all);
        all.release();

        List<Integer> pieces = new ArrayList<>();
        BlockDigester b = new BlockDigester((i, crc) -> pieces.add(crc));
        Random r = new Random(1);
        int pos = 0;
        while (pos < data.length) {
            int n = Math.min(data.length - pos, 1 + r.nextInt(20_000));
            CompositeByteBuf comp = Unpooled.compositeBuffer();
            int half = n / 2;
            comp.addComponent(true, Unpooled.wrappedBuffer(data, pos, half));
            comp.addComponent(true, Unpooled.directBuffer(n - half).writeBytes(data, pos + half, n - half));
            b.update(comp);
            comp.release();
            pos += n;
        }
        assertThat(pieces).hasSize(3).isEqualTo(whole);
        assertThat(b.total()).isEqualTo(a.total()).isEqualTo(data.length);
        assertThat(b.partialCrc()).isEqualTo(a.partialCrc());
    }

    @Test
    void comparatorFindsTheFirstDivergentBlock() {
        DigestComparator same = new DigestComparator();
        same.primaryBlock(1);
        same.replicaBlock(1);
        assertThat(same.finish(70_000, 5, 70_000, 5)).isTrue();

        DigestComparator diff = new DigestComparator();
        diff.replicaBlock(1);
        diff.replicaBlock(9);
        diff.primaryBlock(1);
        diff.primaryBlock(2);
        assertThat(diff.finish(200_000, 5, 200_000, 5)).isFalse();
        assertThat(diff.divergentAt()).isEqualTo(BlockDigester.BLOCK);

        DigestComparator shorter = new DigestComparator();
        assertThat(shorter.finish(10, 5, 9, 5)).isFalse();
        assertThat(shorter.divergentAt()).isZero();
    }

    @Test
    void postgresMaskHidesOnlyBackendKeyData() {
        assertThat(pgDigest(0x1111, 0x2222, "x")).isEqualTo(pgDigest(0x3333, 0x4444, "x"));
        assertThat(pgDigest(0x1111, 0x2222, "x")).isNotEqualTo(pgDigest(0x1111, 0x2222, "y"));
    }

    /** 'N' (SSL refused), AuthenticationOk, BackendKeyData(pid, secret), ParameterStatus(app=v), fed byte by byte. */
    private static long pgDigest(int pid, int secret, String value) {
        ByteBuf s = Unpooled.buffer();
        s.writeByte('N');
        s.writeByte('R').writeInt(8).writeInt(0);
        s.writeByte('K').writeInt(12).writeInt(pid).writeInt(secret);
        byte[] kv = ("app\0" + value + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        s.writeByte('S').writeInt(4 + kv.length).writeBytes(kv);
        PostgresKeyMask mask = new PostgresKeyMask();
        BlockDigester d = new BlockDigester((i, crc) -> { });
        while (s.isReadable()) {
            ByteBuf one = s.readRetainedSlice(1);
            mask.feed(one, d);
            one.release();
        }
        s.release();
        return ((long) d.partialCrc() << 32) ^ d.total();
    }
}
