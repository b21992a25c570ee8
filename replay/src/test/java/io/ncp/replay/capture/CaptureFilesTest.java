package io.ncp.replay.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.decode.LinkType;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure-Java readers against Wireshark's own writer: a nanosecond pcap converted by editcap to pcapng and
 * to microsecond pcap must read back as the same frames and timestamps (pcapng keeps nanoseconds).
 */
class CaptureFilesTest {

    @TempDir
    Path dir;

    record Frame(long ts, byte[] bytes) {
    }

    @Test
    void pcapAndPcapngWrittenByEditcapReadBackIdentically() throws IOException {
        Path nanos = dir.resolve("a.pcap");
        List<Frame> written = new ArrayList<>();
        Random rnd = new Random(3);
        try (PcapWriter w = new PcapWriter(nanos, LinkType.ETHERNET, 65535)) {
            long ts = 1_700_000_000_123_456_789L;
            for (int i = 0; i < 300; i++) {
                byte[] f = new byte[14 + rnd.nextInt(1500)];
                rnd.nextBytes(f);
                ts += rnd.nextInt(5_000_000);
                w.write(ts, f, 0, f.length);
                written.add(new Frame(ts, f));
            }
        }
        String editcap = Binaries.require("editcap", "tshark").toString();
        Path ng = dir.resolve("a.pcapng");
        Path micros = dir.resolve("a-usec.pcap");
        ManagedProcess.run(List.of(editcap, "-F", "pcapng", nanos.toString(), ng.toString()), Duration.ofSeconds(60));
        ManagedProcess.run(List.of(editcap, "-F", "pcap", nanos.toString(), micros.toString()), Duration.ofSeconds(60));

        assertThat(read(nanos)).usingRecursiveFieldByFieldElementComparator().isEqualTo(written);
        assertSame(read(ng), written, 1);
        assertSame(read(micros), written, 1000);
    }

    private static void assertSame(List<Frame> got, List<Frame> want, long resolution) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).bytes()).isEqualTo(want.get(i).bytes());
            assertThat(got.get(i).ts()).isEqualTo(want.get(i).ts() / resolution * resolution);
        }
    }

    private static List<Frame> read(Path file) throws IOException {
        List<Frame> out = new ArrayList<>();
        RawPacket p = new RawPacket();
        try (PacketSource src = CaptureFiles.open(file)) {
            while (src.next(p)) {
                assertThat(p.linkType).isEqualTo(LinkType.ETHERNET);
                out.add(new Frame(p.timestampNanos, Arrays.copyOfRange(p.data, p.offset, p.offset + p.length)));
            }
        }
        return out;
    }
}
