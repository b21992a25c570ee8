package io.ncp.replay.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * epoch (it used to wrap around to a negative time; found by {@link CaptureFileFuzzTest#pcapng}).
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
