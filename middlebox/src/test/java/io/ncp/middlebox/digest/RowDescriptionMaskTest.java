package io.ncp.middlebox.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL answer mask digests RowDescription's catalog identifiers (table OID, column number, user-defined type
 * OID) as zeros and everything else as it is, however the stream is cut into buffers, and reports the masked ranges.
 */
class RowDescriptionMaskTest {

    /** A column: name, table OID, column number, type OID. */
    private record Col(String name, int table, int attnum, int type) {
    }

    /** ReadyForQuery, RowDescription of {@code cols}, DataRow("42"), ReadyForQuery. */
    private static ByteBuf stream(Col... cols) {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(cols.length);
        for (Col c : cols) {
            body.writeBytes((c.name + "\0").getBytes(StandardCharsets.US_ASCII));
            body.writeInt(c.table).writeShort(c.attnum).writeInt(c.type).writeShort(4).writeInt(-1).writeShort(0);
        }
        ByteBuf s = Unpooled.buffer();
        s.writeByte('Z').writeInt(5).writeByte('I');
        s.writeByte('T').writeInt(4 + body.readableBytes()).writeBytes(body);
        body.release();
        s.writeByte('D').writeInt(4 + 2 + 4 + 2).writeShort(1).writeInt(2).writeBytes("42".getBytes(
            StandardCharsets.US_ASCII));
        s.writeByte('Z').writeInt(5).writeByte('I');
        return s;
    }

    /** The digest of {@code s} fed in pieces of {@code piece} bytes; {@code masks} collects the masked ranges. */
    private static long digest(ByteBuf s, int piece, List<long[]> masks) {
        PostgresKeyMask mask = new PostgresKeyMask();
        BlockDigester d = new BlockDigester((i, crc) -> { });
        d.maskListener((offset, length) -> masks.add(new long[] {offset, length}));
        ByteBuf all = s.duplicate();
        while (all.isReadable()) {
            ByteBuf p = all.readRetainedSlice(Math.min(piece, all.readableBytes()));
            mask.feed(p, d);
            p.release();
        }
        s.release();
        return ((long) d.partialCrc() << 32) ^ d.total();
    }

    private static long digest(int piece, Col... cols) {
        return digest(stream(cols), piece, new ArrayList<>());
    }

    @Test
    void tableOidsColumnNumbersAndUserTypeOidsAreMaskedAtEveryCut() {
        Col[] primary = {new Col("aid", 16397, 1, 23), new Col("mood", 16397, 2, 16390)};
        Col[] restored = {new Col("aid", 24601, 1, 23), new Col("mood", 24601, 4, 24590)};
        long whole = digest(1 << 20, primary);
        for (int piece = 1; piece <= 12; piece++) {
            assertThat(digest(piece, primary)).as("cut every %d bytes", piece).isEqualTo(whole);
            assertThat(digest(piece, restored)).as("cut every %d bytes", piece).isEqualTo(whole);
        }
    }

    @Test
    void namesAndBuiltInTypesStillCount() {
        long base = digest(3, new Col("aid", 16397, 1, 23));
        assertThat(digest(3, new Col("aix", 16397, 1, 23))).isNotEqualTo(base);
        assertThat(digest(3, new Col("aid", 16397, 1, 20))).as("int4 vs int8").isNotEqualTo(base);
        assertThat(digest(3, new Col("aid", 16397, 1, 23), new Col("b", 16397, 2, 23))).isNotEqualTo(base);
    }

    @Test
    void theMaskedRangesAreReported() {
        List<long[]> masks = new ArrayList<>();
        digest(stream(new Col("aid", 16397, 1, 16390)), 1 << 20, masks);
        // Z (6 bytes), then T: type 1, length 4, count 2, "aid\0" 4 -> table OID at 17 (6 bytes), type OID at 23 (4)
        assertThat(masks).extracting(m -> m[0] + "+" + m[1]).containsExactly("17+6", "23+4");
    }
}
