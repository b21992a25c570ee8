package io.ncp.replay.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcapng timestamps in every resolution an interface may declare (if_tsresol): exact nanoseconds for sub-nanosecond
 * units too, and a {@link CaptureFormatException} for a timestamp that does not fit in 64-bit nanoseconds since the
 * epoch (it used to wrap around to a negative time; found by {@link CaptureFileFuzzTest#pcapng}). Packet blocks too
 * short for their fixed fields are corrupt, wherever they fall in the read window (the reader used to read their
 * fields past the block, and past its buffer when the block ended the window).
 */
class PcapngReaderTest {

    @TempDir
    Path dir;

    @Test
    void picosecondTimestampsKeepTheirNanoseconds() throws IOException {
        long seconds = 1_700_000; // picoseconds since the epoch overflow 64 bits after ~107 days
        long t = seconds * 1_000_000_000_000L + 123_456_789_012L;
        assertThat(firstTimestamp(12, t)).isEqualTo(seconds * 1_000_000_000L + 123_456_789L);
    }

    @Test
    void microsecondAndPowerOfTwoTimestamps() throws IOException {
        assertThat(firstTimestamp(6, 1_700_000_000_000_001L)).isEqualTo(1_700_000_000_000_001_000L);
        assertThat(firstTimestamp(0x80 | 10, (1_700_000_000L << 10) | 512)).isEqualTo(1_700_000_000_500_000_000L);
    }

    @Test
    void aTimestampBeyondYear2262IsACorruptFileNotANegativeTime() throws IOException {
        assertThatThrownBy(() -> firstTimestamp(6, -2_239_033_186_716_458_416L))
            .isInstanceOf(CaptureFormatException.class).hasMessageContaining("timestamp out of range");
        assertThatThrownBy(() -> firstTimestamp(0, 9_300_000_000L))
            .isInstanceOf(CaptureFormatException.class).hasMessageContaining("timestamp out of range");
    }

    @Test
    void aPacketBlockTooShortForItsFieldsIsCorruptEvenAtTheEndOfTheReadWindow() throws IOException {
        byte[] shortBlock = le(6, 16, 0, 16); // enhanced packet block of 16 bytes: interface 0, then its trailer
        byte[] file = concat(SHB, IDB, shortBlock);
        assertThatThrownBy(() -> readAll(CaptureFiles.open("short", new ByteArrayInputStream(file), file.length,
            file.length))).isInstanceOf(CaptureFormatException.class).hasMessageContaining("packet block too short");
        // the same with the production window (1 MiB): a skipped block puts the short one at the window's end
        Path f = dir.resolve("short.pcapng");
        int filler = (1 << 20) - SHB.length - IDB.length - shortBlock.length;
        byte[] custom = new byte[filler];
        System.arraycopy(le(0x0BAD, filler), 0, custom, 0, 8);
        System.arraycopy(le(filler), 0, custom, filler - 4, 4);
        Files.write(f, concat(SHB, IDB, custom, shortBlock, le(3, 16, 14, 16)));
        assertThatThrownBy(() -> readAll(CaptureFiles.open(f))).isInstanceOf(CaptureFormatException.class)
            .hasMessageContaining("at byte offset " + ((1 << 20) - 16));
        byte[] simple = concat(SHB, IDB, le(3, 12, 12)); // simple packet block without its length field
        assertThatThrownBy(() -> readAll(CaptureFiles.open("simple", new ByteArrayInputStream(simple), simple.length,
            64))).isInstanceOf(CaptureFormatException.class).hasMessageContaining("packet block too short");
    }

    private static final byte[] SHB = concat(le(0x0A0D0D0A, 28, 0x1A2B3C4D, 1, -1, -1), le(28));
    private static final byte[] IDB = le(1, 20, 1, 65535, 20);

    private static int readAll(PacketSource src) throws IOException {
        try (src) {
            RawPacket p = new RawPacket();
            int n = 0;
            while (src.next(p)) {
                n++;
            }
            return n;
        }
    }

    private static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** Writes a one-packet pcapng (Ethernet, if_tsresol {@code resolution}) with timestamp {@code ts}, reads it. */
    private long firstTimestamp(int resolution, long ts) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + 28 + 48).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1)
            .putInt(28);
        b.putInt(1).putInt(28).putShort((short) 1).putShort((short) 0).putInt(65535)
            .putShort((short) 9).putShort((short) 1).put((byte) resolution).put(new byte[3]).putInt(28);
        b.putInt(6).putInt(48).putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(14).putInt(14)
            .put(new byte[16]).putInt(48);
        Path f = dir.resolve("ts.pcapng");
        Files.write(f, b.array());
        try (PacketSource src = CaptureFiles.open(f)) {
            RawPacket p = new RawPacket();
            assertThat(src.next(p)).isTrue();
            assertThat(p.length).isEqualTo(14);
            return p.timestampNanos;
        }
    }
}
