package io.ncp.replay.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trip, torn tails at every cut point, and corruption that must not be truncated away. */
class JournalTest {

    @TempDir
    Path dir;

    @Test
    void everyRecordTypeRoundTrips() throws IOException {
        Path j = dir.resolve("a.journal");
        SessionInfo s = new SessionInfo(7, new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
            new Endpoint(InetAddress.getByName("::1"), 6379), true, 123);
        // an IPv6 flow whose client is IPv4-mapped (InetAddress makes it IPv4): stored as IPv6, read back the same
        assertThat(SessionInfo.decode(7, 123, s.encode())).isEqualTo(s);
        SessionInfo v6 = new SessionInfo(7, new Endpoint(InetAddress.getByName("::2"), 40000),
            new Endpoint(InetAddress.getByName("::1"), 6379), true, 123);
        ByteBuf buf = Unpooled.copiedBuffer("xxhello", StandardCharsets.US_ASCII).skipBytes(2);
        try (JournalWriter w = JournalWriter.open(j, FsyncPolicy.NEVER)) {
            w.open(v6, 123);
            w.data(7, Direction.CLIENT_TO_SERVER, 0, buf, 124);
            w.gap(7, Direction.SERVER_TO_CLIENT, 0, 99, 125);
            w.close(7, Direction.CLIENT_TO_SERVER, CloseReason.RST, 5, 126);
        } finally {
            assertThat(buf.readerIndex()).isEqualTo(2); // the writer read but did not consume
            buf.release();
        }
        List<JournalRecord> all = readAll(j);
        assertThat(all).extracting(JournalRecord::type)
            .containsExactly(RecordType.OPEN, RecordType.DATA, RecordType.GAP, RecordType.CLOSE);
        assertThat(JournalReader.sessionInfo(all.get(0))).isEqualTo(v6);
        assertThat(new String(all.get(1).payload(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(all.get(2).aux()).isEqualTo(99);
        assertThat(all.get(2).direction()).isEqualTo(Direction.SERVER_TO_CLIENT);
        assertThat(all.get(3).closeReason()).isEqualTo(CloseReason.RST);
        assertThat(all.get(3).timestampNanos()).isEqualTo(126);
    }

    @Test
    void aTailTornAtAnyByteIsDetectedAndTruncatedKeepingEveryWholeRecord() throws IOException {
        Path j = dir.resolve("t.journal");
        long[] ends = writeNumbered(j, 4, 300);
        byte[] whole = Files.readAllBytes(j);
        long lastStart = ends[2];
        for (long cut = lastStart + 1; cut < whole.length; cut++) {
            Files.write(j, java.util.Arrays.copyOf(whole, (int) cut));
            try (JournalReader r = JournalReader.open(j)) {
                int n = 0;
                while (r.next() != null) {
                    n++;
                }
                assertThat(n).isEqualTo(3);
                assertThat(r.tornTail()).isNotNull();
                assertThat(r.tornTail().position()).isEqualTo(lastStart);
            }
            try (JournalWriter w = JournalWriter.open(j, FsyncPolicy.NEVER)) {
                assertThat(w.recovery().records()).isEqualTo(3);
                assertThat(w.recovery().truncatedBytes()).isEqualTo(cut - lastStart);
            }
            assertThat(Files.size(j)).isEqualTo(lastStart);
        }
        Files.write(j, whole); // positive control: the whole file is clean
        try (JournalWriter w = JournalWriter.open(j, FsyncPolicy.NEVER)) {
            assertThat(w.recovery().records()).isEqualTo(4);
            assertThat(w.recovery().truncatedBytes()).isZero();
            assertThat(w.recovery().maxSessionId()).isEqualTo(4);
        }
    }

    @Test
    void corruptionFollowedByValidRecordsIsReportedAndNotTruncated() throws IOException {
        Path j = dir.resolve("c.journal");
        long[] ends = writeNumbered(j, 5, 100);
        try (RandomAccessFile f = new RandomAccessFile(j.toFile(), "rw")) {
            long at = ends[1] + 60; // inside record 2's payload
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        long size = Files.size(j);
        assertThatThrownBy(() -> JournalWriter.open(j, FsyncPolicy.NEVER))
            .isInstanceOf(JournalCorruptException.class)
            .hasMessageContaining("c.journal: at byte offset " + ends[1])
            .hasMessageContaining("checksum")
            .hasMessageContaining("not truncating");
        assertThat(Files.size(j)).isEqualTo(size);
        try (JournalReader r = JournalReader.open(j)) {
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNotNull();
            assertThatThrownBy(r::next).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("valid records follow at byte offset " + ends[2]);
        }
    }

    @Test
    void aBackgroundFsyncOutlivingItsFileIsHarmlessAndAnIntervalSyncNeverRunsOnTheOwner() throws IOException {
        Path j = dir.resolve("b.journal");
        List<Runnable> syncer = new ArrayList<>();
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[100]);
        try {
            JournalWriter w = JournalWriter.open(j, new FsyncPolicy(java.time.Duration.ofNanos(1)), 1 << 10,
                syncer::add);
            w.data(1, Direction.CLIENT_TO_SERVER, 0, buf, 1);
            w.data(1, Direction.CLIENT_TO_SERVER, 100, buf, 2);
            assertThat(syncer).as("the due fsync was handed over").hasSize(1);
            w.close(); // the owner's close forces the file itself
            syncer.get(0).run(); // the handed-over fsync then finds its channel closed: ignored
            assertThat(readAll(j)).hasSize(2);

            JournalWriter d = JournalWriter.open(j, FsyncPolicy.NEVER);
            d.data(1, Direction.CLIENT_TO_SERVER, 200, buf, 3); // buffered, never written: discard() drops it
            d.discard();
            assertThat(readAll(j)).as("discard writes nothing").hasSize(2);
            assertThatThrownBy(() -> d.data(1, Direction.CLIENT_TO_SERVER, 300, buf, 4))
                .hasMessageContaining("closed");
        } finally {
            buf.release();
        }
    }

    @Test
    void filesThatAreNotJournalsAreRejectedUntouched() throws IOException {
        Path garbage = dir.resolve("g.bin");
        Files.write(garbage, "this is not a journal at all, just text".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> JournalReader.open(garbage)).hasMessageContaining("bad file magic");
        assertThatThrownBy(() -> JournalWriter.open(garbage, FsyncPolicy.NEVER))
            .hasMessageContaining("g.bin: at byte offset 0: not an NCP journal");
        assertThat(Files.size(garbage)).isEqualTo(39);
        Path tiny = dir.resolve("tiny.journal");
        Files.write(tiny, "NCPJ".getBytes(StandardCharsets.US_ASCII)); // header torn right after creation
        try (JournalWriter w = JournalWriter.open(tiny, FsyncPolicy.NEVER)) {
            assertThat(w.recovery().truncatedBytes()).isEqualTo(4);
        }
        try (JournalReader r = JournalReader.open(tiny)) {
            assertThat(r.next()).isNull();
            assertThat(r.tornTail()).isNull();
        }
    }

    /** Writes {@code n} DATA records (session i+1, payload of {@code size} bytes); returns each record's end. */
    static long[] writeNumbered(Path j, int n, int size) throws IOException {
        long[] ends = new long[n];
        try (JournalWriter w = JournalWriter.open(j, FsyncPolicy.NEVER, 64)) {
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[size];
                java.util.Arrays.fill(p, (byte) i);
                w.data(i + 1, Direction.CLIENT_TO_SERVER, 0, p, 0, p.length, i);
                w.flush();
                ends[i] = w.position();
            }
        }
        return ends;
    }

    static List<JournalRecord> readAll(Path j) throws IOException {
        List<JournalRecord> out = new ArrayList<>();
        try (JournalReader r = JournalReader.open(j)) {
            JournalRecord rec;
            while ((rec = r.next()) != null) {
                out.add(rec);
            }
        }
        return out;
    }
}
