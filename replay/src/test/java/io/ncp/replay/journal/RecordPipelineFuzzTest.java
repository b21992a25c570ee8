package io.ncp.replay.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.CaptureFormatException;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Flow;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.ncp.replay.reassembly.StreamListener;
import io.ncp.replay.reassembly.TcpReassembler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target for the {@code ncp-replay record --pcap} pipeline (docs/fuzzing.md): a capture file is decoded,
 * reassembled and journaled by {@link JournalStreamListener}, then read back.
 *
 * <p>Oracle: the capture is read to its end or to a {@link io.ncp.replay.capture.CaptureFormatException}; no other
 * exception escapes decoding, reassembly or journaling; the journal then reads back cleanly (no torn tail, no
 * corruption) as exactly the listener calls the reassembler made: one OPEN per flow whose session description
 * decodes to the flow's endpoints, DATA with the same bytes at the same offsets, GAP, CLOSE with its reason.
 */
class RecordPipelineFuzzTest {

    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "ncp-record-fuzz")
            : Files.createTempDirectory("ncp-record-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.deleteIfExists(dir.resolve("in.pcap"));
        Files.deleteIfExists(dir.resolve("out.journal"));
        Files.deleteIfExists(dir);
    }

    /** Seeds: the capture reader's pcap seeds; a dictionary of link-layer and IP address tokens. */
    @DictionaryFile(resourcePath = "capture.dict")
    @FuzzTest(maxDuration = "8s")
    void record(byte[] capture) throws IOException {
        Path in = dir.resolve("in.pcap");
        Path out = dir.resolve("out.journal");
        Files.write(in, capture);
        Files.deleteIfExists(out);
        List<JournalRecord> expected = new ArrayList<>();
        try (JournalWriter journal = JournalWriter.open(out, FsyncPolicy.NEVER)) {
            TcpReassembler reassembler = new TcpReassembler(ReassemblyConfig.defaults(),
                new Tee(new JournalStreamListener(journal, false), expected));
            PacketDecoder decoder = new PacketDecoder();
            RawPacket raw = new RawPacket();
            TcpPacket tcp = new TcpPacket();
            try (PacketSource src = CaptureFiles.open(in)) {
                while (src.next(raw)) {
                    if (decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)) {
                        reassembler.segment(tcp);
                    }
                }
            } catch (CaptureFormatException e) {
                // the documented end of a corrupt or truncated capture; what was read so far is kept
            }
            reassembler.finish();
        }
        JournalFuzzTest.Outcome read = JournalFuzzTest.readAll(out);
        assertThat(read.torn()).isNull();
        assertThat(read.corrupt()).isNull();
        assertThat(read.records()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            JournalRecords.assertSameContent(read.records().get(i), expected.get(i));
        }
    }

    /**
     * Passes every call on to the journal's listener and notes the record it must produce (position -1: not
     * compared; OPEN payload: the flow's encoded description).
     */
    private static final class Tee implements StreamListener {
        private final StreamListener next;
        private final List<JournalRecord> expected;

        Tee(StreamListener next, List<JournalRecord> expected) {
            this.next = next;
            this.expected = expected;
        }

        @Override
        public void onOpen(Flow flow) {
            next.onOpen(flow);
            SessionInfo s = SessionInfo.of(flow);
            expected.add(new JournalRecord(-1, RecordType.OPEN, flow.id(), Direction.CLIENT_TO_SERVER, 0,
                flow.startNanos(), 0, 0, s.encode()));
            assertThat(SessionInfo.decode(flow.id(), flow.startNanos(), s.encode())).isEqualTo(s);
        }

        @Override
        public void onData(Flow flow, Direction d, ByteBuf data, long offset, long ts) {
            next.onData(flow, d, data, offset, ts);
            expected.add(new JournalRecord(-1, RecordType.DATA, flow.id(), d, 0, ts, offset, 0,
                ByteBufUtil.getBytes(data)));
        }

        @Override
        public void onGap(Flow flow, Direction d, long offset, long length, long ts) {
            next.onGap(flow, d, offset, length, ts);
            expected.add(new JournalRecord(-1, RecordType.GAP, flow.id(), d, 0, ts, offset, length, new byte[0]));
        }

        @Override
        public void onClose(Flow flow, Direction d, CloseReason reason, long offset, long ts) {
            next.onClose(flow, d, reason, offset, ts);
            expected.add(new JournalRecord(-1, RecordType.CLOSE, flow.id(), d, reason.code(), ts, offset, 0,
                new byte[0]));
        }
    }
}
