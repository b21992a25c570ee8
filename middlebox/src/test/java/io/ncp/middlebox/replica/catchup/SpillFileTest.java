package io.ncp.middlebox.replica.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.replay.journal.JournalWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a spill file leaves to its background executor (the tests hold its tasks and run them by hand, so "not on
 * the loop" is checked, not timed): the interval fsync, and the delete of a drained file of more than
 * {@link SpillFile#RETIRE_INLINE_BYTES}.
 */
class SpillFileTest {

    @TempDir
    Path dir;

    private final ArrayDeque<Runnable> background = new ArrayDeque<>();

    @Test
    void aBigDrainedFileIsRenamedAsideAndDeletedInTheBackgroundThenANewFileStarts() throws IOException {
        Path path = dir.resolve("shard-0.journal");
        try (SpillFile f = new SpillFile(path, 1L << 30, FsyncPolicy.NEVER, background::add)) {
            List<SpillFile.Segment> segments = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // 10 MiB: over the 8 MiB kept in place
                segments.add(append(f, 1, (long) i << 20, 1 << 20, (byte) i));
            }
            for (SpillFile.Segment s : segments) {
                ByteBuf back = f.read(s);
                assertThat(back.getByte(0)).isEqualTo((byte) (s.offset() >> 20));
                back.release();
                f.done(s);
            }
            assertThat(path).as("renamed aside on the loop: nothing to truncate there").doesNotExist();
            Path aside = dir.resolve("shard-0.journal" + SpillFile.RETIRED + "1");
            assertThat(aside).exists();
            assertThat(background).as("only the delete is queued (fsync: never)").hasSize(1);
            background.poll().run();
            assertThat(aside).doesNotExist();

            SpillFile.Segment again = append(f, 2, 0, 1000, (byte) 7); // a new spill: a new file
            assertThat(path).exists();
            assertThat(again.position()).isEqualTo(header());
            ByteBuf back = f.read(again);
            assertThat(back.readableBytes()).isEqualTo(1000);
            assertThat(back.getByte(999)).isEqualTo((byte) 7);
            back.release();
            f.done(again);
            assertThat(Files.size(path)).as("a small drained file is cut back in place")
                .isEqualTo(header());
            assertThat(background).isEmpty();
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("shard-0.journal");
        }
    }

    @Test
    void theIntervalFsyncIsHandedToTheBackgroundOneAtATime() throws IOException {
        Path path = dir.resolve("shard-1.journal");
        FsyncPolicy everyNanosecond = new FsyncPolicy(Duration.ofNanos(1)); // due at every later call
        try (SpillFile f = new SpillFile(path, 1L << 30, everyNanosecond, background::add)) {
            SpillFile.Segment first = append(f, 1, 0, 4096, (byte) 1);
            append(f, 1, 4096, 4096, (byte) 2);
            assertThat(background).as("an fsync is due: queued, not run on the caller").hasSize(1);
            assertThat(Files.size(path)).as("the records were handed to the OS before the fsync was queued")
                .isGreaterThanOrEqualTo(header() + 2 * 4096L);
            append(f, 1, 8192, 4096, (byte) 3);
            f.tick();
            assertThat(background).as("one fsync in flight at a time").hasSize(1);
            background.poll().run();
            f.tick();
            assertThat(background).as("the writes since then get the next one").hasSize(1);
            background.poll().run();
            ByteBuf back = f.read(first);
            assertThat(back.getByte(0)).isEqualTo((byte) 1);
            back.release();
        }
    }

    /** The size of an empty journal (its file header). */
    private long header() throws IOException {
        Path p = dir.resolve("empty.journal");
        try (JournalWriter w = JournalWriter.open(p, FsyncPolicy.NEVER)) {
            return w.position();
        } finally {
            Files.delete(p);
        }
    }

    private static SpillFile.Segment append(SpillFile f, long session, long offset, int n, byte fill)
            throws IOException {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, fill);
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        try {
            return f.append(session, offset, buf);
        } finally {
            buf.release();
        }
    }
}
