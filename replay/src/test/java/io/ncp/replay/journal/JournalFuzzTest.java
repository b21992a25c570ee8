package io.ncp.replay.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ncp.replay.player.JournalEventSource;
import io.ncp.replay.player.SessionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for the journal reader, its scanner and the writer's recovery on open (docs/fuzzing.md).
 *
 * <p>{@link #damagedJournal}: a journal of fuzzed records written by {@link JournalWriter}, then cut at a fuzzed
 * length and/or overwritten in one fuzzed run of 1-4 bytes. Oracle: the reader returns exactly the records before
 * the first damaged one, field for field; at that record it reports a torn tail (when no whole record follows) or
 * throws {@link JournalCorruptException} (when one does) at the record's position, never anything else (a cut
 * exactly between two records leaves nothing to detect: a clean end); the writer's recovery agrees (truncates a
 * torn tail to exactly the intact records, refuses corruption and leaves the file as it was).
 *
 * <p>{@link #rawTail}: a valid file header followed by arbitrary bytes. Oracle: reading ends normally, at a torn
 * tail or with a {@link JournalCorruptException}; the player's {@link JournalEventSource} throws nothing but
 * {@code JournalCorruptException} either; the writer's recovery agrees with the reader. Any other exception is a
 * bug.
 */
class JournalFuzzTest {

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createDirectory() throws IOException {
        Path shm = Path.of("/dev/shm"); // recovery fsyncs: keep the fuzz loop off the disk where possible
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "ncp-journal-fuzz")
            : Files.createTempDirectory("ncp-journal-fuzz");
        file = dir.resolve("fuzz.journal");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /** Seeds: small record sequences with no damage, a cut tail and a flipped byte. */
    @FuzzTest(maxDuration = "8s")
    void damagedJournal(FuzzedDataProvider data) throws IOException {
        Files.deleteIfExists(file);
        List<JournalRecord> written = JournalRecords.write(file, data);
        byte[] intact = Files.readAllBytes(file);
        JournalDamage damage = JournalDamage.apply(intact, data);
        Files.write(file, damage.bytes());
        if (damage.headerDamaged()) {
            assertThatThrownBy(() -> JournalReader.open(file)).isInstanceOf(JournalCorruptException.class);
            return;
        }
        int first = damage.firstDamaged(written);
        Outcome read = readAll(file);
        assertThat(read.records()).hasSize(first);
        for (int i = 0; i < first; i++) {
            JournalRecords.assertSame(read.records().get(i), written.get(i));
        }
        long at = first < written.size() ? written.get(first).position() : damage.bytes().length;
        if (at == damage.bytes().length) { // every record whole, or cut exactly between two: nothing to see
            assertThat(read.torn()).as("clean end").isNull();
            assertThat(read.corrupt()).as("clean end").isNull();
        } else if (damage.wholeRecordAfter(written, first)) {
            assertThat(read.corrupt()).as("valid records follow the bad one at " + at).isNotNull();
            assertThat(read.corrupt().offset()).isEqualTo(at);
        } else {
            assertThat(read.torn()).as("nothing valid follows the bad record at " + at + ": a torn tail, not "
                + read.corrupt()).isNotNull();
            assertThat(read.torn().position()).isEqualTo(at);
            assertThat(read.torn().bytes()).isEqualTo(damage.bytes().length - at);
        }
        checkRecoveryAgrees(read, damage.bytes());
    }

    /** Seeds: record sequences of valid journals (the header is added here). */
    @FuzzTest(maxDuration = "8s")
    void rawTail(byte[] tail) throws IOException {
        byte[] header = new byte[JournalFormat.FILE_HEADER];
        JournalFormat.fileHeader(1L).get(header);
        byte[] bytes = Arrays.copyOf(header, header.length + tail.length);
        System.arraycopy(tail, 0, bytes, header.length, tail.length);
        Files.write(file, bytes);
        Outcome read = readAll(file);
        long last = JournalFormat.FILE_HEADER - 1;
        for (JournalRecord r : read.records()) {
            assertThat(r.position()).isGreaterThan(last).isLessThan(bytes.length);
            assertThat(r.type()).isNotNull();
            assertThat(r.direction()).isNotNull();
            last = r.position();
        }
        try (JournalEventSource events = new JournalEventSource(file)) {
            SessionEvent e;
            while ((e = events.next()) != null) {
                e.release();
            }
        } catch (JournalCorruptException expected) {
            // a malformed OPEN payload or an unknown close reason, or the reader's own verdict
        }
        checkRecoveryAgrees(read, bytes);
    }

    /** What reading the whole file gave: the records, and how it ended. */
    record Outcome(List<JournalRecord> records, JournalReader.TornTail torn, JournalCorruptException corrupt) {
    }

    static Outcome readAll(Path path) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader r = JournalReader.open(path)) {
            try {
                JournalRecord rec;
                while ((rec = r.next()) != null) {
                    records.add(rec);
                }
            } catch (JournalCorruptException e) {
                assertThat(r.tornTail()).isNull();
                return new Outcome(records, null, e);
            }
            return new Outcome(records, r.tornTail(), null);
        }
    }

    /** Opening for append truncates exactly a torn tail, refuses corruption untouched, and keeps clean files. */
    private static void checkRecoveryAgrees(Outcome read, byte[] bytes) throws IOException {
        if (read.corrupt() != null) {
            assertThatThrownBy(() -> JournalWriter.open(file, FsyncPolicy.NEVER).close())
                .isInstanceOf(JournalCorruptException.class);
            assertThat(Files.readAllBytes(file)).as("corruption must not be truncated").isEqualTo(bytes);
            return;
        }
        try (JournalWriter w = JournalWriter.open(file, FsyncPolicy.NEVER)) {
            JournalWriter.Recovery rec = w.recovery();
            assertThat(rec.records()).isEqualTo(read.records().size());
            long kept = read.torn() == null ? bytes.length : read.torn().position();
            assertThat(rec.truncatedBytes()).isEqualTo(bytes.length - kept);
            assertThat(w.position()).isEqualTo(kept);
        }
        Outcome again = readAll(file);
        assertThat(again.torn()).isNull();
        assertThat(again.corrupt()).isNull();
        assertThat(again.records()).hasSameSizeAs(read.records());
        for (int i = 0; i < again.records().size(); i++) {
            JournalRecords.assertSame(again.records().get(i), read.records().get(i));
        }
    }
}
