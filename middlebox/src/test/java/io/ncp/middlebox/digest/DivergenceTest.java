package io.ncp.middlebox.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Locating where two answer streams first differ: exact within the kept heads, else the block's byte range. */
class DivergenceTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theFirstDifferingByteInsideTheHeadsIsExact() {
        byte[] p = ascii("$11\r\nhello world\r\n");
        byte[] r = ascii("$11\r\nhello WORLD\r\n");
        Divergence d = Divergence.locate(0, p, r, p.length, r.length, true);
        assertThat(d.exact()).isEqualTo(11);
        assertThat(d.from()).isEqualTo(11);
        assertThat(d.describe()).startsWith("at answer byte 11 (the first differing byte)")
            .contains("primary answered 18 B, replica 18 B so far");
    }

    @Test
    void whenOneStreamIsAPrefixOfTheOtherTheDifferenceIsWhereTheShorterEnds() {
        byte[] p = ascii("+OK\r\n+OK\r\n");
        byte[] r = ascii("+OK\r\n");
        assertThat(Divergence.locate(0, p, r, p.length, r.length, true).exact()).isEqualTo(5);
        // the replica may still answer: while the primary has not ended nothing is claimed past the common bytes
        Divergence open = Divergence.locate(0, p, r, p.length, r.length, false);
        assertThat(open.exact()).isEqualTo(-1);
        assertThat(open.describe()).contains("primary answered at least 10 B");
    }

    @Test
    void pastTheHeadsOnlyTheBlockIsKnown() {
        byte[] same = new byte[Divergence.HEAD];
        Arrays.fill(same, (byte) 'x');
        Divergence d = Divergence.locate(0, same, same.clone(), 20_010, 20_010, true);
        assertThat(d.exact()).isEqualTo(-1);
        assertThat(d.from()).isEqualTo(Divergence.HEAD);
        assertThat(d.to()).isEqualTo(20_010);
        assertThat(d.describe()).contains("between answer bytes 4096 and 20010");
        Divergence later = Divergence.locate(3L * BlockDigester.BLOCK, same, same, 1 << 20, 1 << 20, true);
        assertThat(later.exact()).isEqualTo(-1);
        assertThat(later.from()).isEqualTo(3L * BlockDigester.BLOCK);
        assertThat(later.block()).isEqualTo(3);
        assertThat(Divergence.locate(0, null, same, 10, 10, true).exact()).as("no primary head: block only")
            .isEqualTo(-1);
    }

    @Test
    void theDigesterKeepsTheFirstBytesWithMaskedFieldsAsZeros() {
        BlockDigester d = new BlockDigester((i, crc) -> { });
        d.keepHead(8);
        ByteBuf buf = Unpooled.wrappedBuffer(ascii("abcdef"));
        try {
            d.update(buf, 0, 3);
            d.updateZeros(2);
            d.update(buf, 3, 3);
        } finally {
            buf.release();
        }
        assertThat(d.head()).containsExactly('a', 'b', 'c', 0, 0, 'd', 'e', 'f');
        assertThat(d.headFull()).isTrue();
        assertThat(new BlockDigester((i, crc) -> { }).head()).isNull();
    }
}
