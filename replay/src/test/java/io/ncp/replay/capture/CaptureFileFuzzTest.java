package io.ncp.replay.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ncp.replay.decode.PacketDecoderFuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz targets for the capture-file readers (docs/fuzzing.md). The input is the file; the reader's first window
 * size and the largest read the stream returns at once are derived from its length, so window compaction, growth
 * and short reads are all exercised.
 *
 * <p>Oracle: the file is read packet by packet until its end or a {@link CaptureFormatException} (the documented
 * answer to a corrupt or truncated file). Every packet handed out lies inside its buffer, comes from a later file
 * offset than the one before, has a link type, a non-negative timestamp and an original length of at least its
 * captured length; each one also goes through the decoder's oracle. Any other exception is a bug.
 */
class CaptureFileFuzzTest {

    /** Classic pcap; seeds: tcpdump captures (Ethernet, Linux cooked, raw IP), both byte orders, ns and us. */
    @FuzzTest(maxDuration = "8s")
    void pcap(byte[] file) throws IOException {
        read(file);
    }

    /** pcapng; seeds: the pcap seeds converted by editcap, plus multi-interface and simple-packet-block files. */
    @FuzzTest(maxDuration = "8s")
    void pcapng(byte[] file) throws IOException {
        read(file);
    }

    static void read(byte[] file) throws IOException {
        int window = 1 + file.length * 7 % 509;
        int maxRead = 1 + file.length % 97;
        RawPacket p = new RawPacket();
        long lastOffset = -1;
        try (PacketSource source = CaptureFiles.open("fuzz", new ShortReads(file, maxRead), file.length, window)) {
            while (source.next(p)) {
                assertThat(p.data).isNotNull();
                assertThat(p.offset).isNotNegative();
                assertThat(p.length).isNotNegative();
                assertThat((long) p.offset + p.length).isLessThanOrEqualTo(p.data.length);
                assertThat(p.originalLength).isGreaterThanOrEqualTo(p.length);
                assertThat(p.linkType).isNotNull();
                assertThat(p.timestampNanos).as("timestamp").isNotNegative();
                assertThat(p.fileOffset).isGreaterThan(lastOffset).isLessThan(file.length);
                lastOffset = p.fileOffset;
                PacketDecoderFuzzTest.decodeAndCheck(p.linkType, p.data, p.offset, p.length);
            }
        } catch (CaptureFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz: at byte offset ");
            assertThat(e.offset()).isBetween(0L, (long) file.length);
        }
    }

    /** A stream that returns at most {@code maxRead} bytes per read, like a socket or a pipe. */
    static final class ShortReads extends ByteArrayInputStream {
        private final int maxRead;

        ShortReads(byte[] data, int maxRead) {
            super(data);
            this.maxRead = maxRead;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, maxRead));
        }
    }
}
