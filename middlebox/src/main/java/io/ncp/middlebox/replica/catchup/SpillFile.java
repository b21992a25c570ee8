package io.ncp.middlebox.replica.catchup;

import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.replay.journal.JournalReader;
import io.ncp.replay.journal.JournalRecord;
import io.ncp.replay.journal.JournalWriter;
import io.ncp.replay.reassembly.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's spill file on one shard (a journal in the replay/ format: framed records, CRC32C, a torn tail
 * truncated when opened): the client bytes of the replica's copies that could not wait in memory, appended in the
 * order they arrived and read back by position when the replica takes them. When nothing in it is still to be
 * delivered it is emptied. Confined to one replica loop; opened on first use.
 *
 * <p>What takes long on a file system stays off the replica loop, on {@code background}: the fsync of the interval
 * policy, and giving up a drained file of more than {@link #RETIRE_INLINE_BYTES} (renamed to {@code *.done-N} and
 * deleted there; the next spill starts a new file). Both took 0.2-0.4 s for ~700 MB on this project's test VM, and a
 * replica loop stalled that long lets the shard's ring (256 MiB by default) fill at 8 Gbit/s: the copies of every
 * session of that shard were damaged (docs/middlebox-benchmark.md, "Replica completeness").
 */
public final class SpillFile implements AutoCloseable {

    /** A drained file up to this size is cut back to its header on the loop (cheap); a bigger one is retired. */
    static final long RETIRE_INLINE_BYTES = 8L << 20;
    /** What a retired file is renamed to before it is deleted: {@code <name>.done-<n>}. */
    static final String RETIRED = ".done-";
    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);

    /** Where one appended chunk is. */
    public record Segment(long session, long offset, long position, int length) {
    }

    private final Path path;
    private final long maxBytes;
    private final FsyncPolicy fsync;
    private final Executor background;
    private JournalWriter writer;
    private FileChannel reader;
    private long outstanding;
    private long retired;
    /** The middlebox is stopping: records still to be delivered stay in the file (see {@link #keepUndelivered}). */
    private boolean keeping;

    public SpillFile(Path path, long maxBytes, FsyncPolicy fsync, Executor background) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.fsync = fsync;
        this.background = background;
    }

    /**
     * Appends {@code data}'s readable bytes (borrowed) as one record of session {@code session} at stream offset
     * {@code offset}.
     *
     * @throws SpillFullException when the file would grow past its bound
     * @throws IOException        when the disk refuses (full, read-only): the caller treats it like a full journal
     */
    public Segment append(long session, long offset, ByteBuf data) throws IOException {
        open();
        long at = writer.position();
        int n = data.readableBytes();
        if (at + n + 64 > maxBytes) {
            throw new SpillFullException(path + ": would exceed " + maxBytes + " bytes");
        }
        writer.data(session, Direction.CLIENT_TO_SERVER, offset, data, System.nanoTime());
        outstanding += n;
        return new Segment(session, offset, at, n);
    }

    /** The bytes of {@code s}, read back and checked (a heap buffer the caller owns). */
    public ByteBuf read(Segment s) throws IOException {
        writer.flush();
        JournalRecord r = JournalReader.readAt(reader, path.toString(), s.position());
        if (r.sessionId() != s.session() || r.offset() != s.offset() || r.payload().length != s.length()) {
            throw new IOException(path + ": the record at " + s.position() + " is not the one spilled there");
        }
        return Unpooled.wrappedBuffer(r.payload());
    }

    /**
     * The middlebox is stopping and aborts its copies: from now on nothing is emptied, and {@link #close} leaves the
     * records still to be delivered in the file, so that the next run finds them ({@link SpillFiles#leftovers}) and
     * makes the replica STALE, instead of starting it IN_SYNC without the bytes it never got.
     */
    void keepUndelivered() {
        keeping = true;
    }

    /** {@code s} was delivered (or given up): when nothing is outstanding the file is emptied. */
    public void done(Segment s) throws IOException {
        if (keeping) {
            return; // an aborted copy at a stop: its bytes never reached the replica
        }
        outstanding -= s.length();
        if (outstanding <= 0 && writer != null) {
            outstanding = 0;
            if (writer.position() <= RETIRE_INLINE_BYTES) {
                writer.reset();
            } else {
                retire();
            }
        }
    }

    /**
     * Gives up the drained file: closed without an fsync, renamed aside and deleted on the background executor (a
     * crash before the delete leaves a {@code .done-} file, which {@link SpillFiles#leftovers} deletes). The next
     * append opens a new file.
     */
    private void retire() throws IOException {
        Path aside = path.resolveSibling(path.getFileName() + RETIRED + (++retired));
        try {
            Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING); // the open channels follow the file
        } catch (IOException e) {
            LOG.warn("catch-up journal {}: could not rename the drained file ({}); emptying it in place", path,
                e.toString());
            writer.reset();
            return;
        }
        JournalWriter w = writer;
        FileChannel r = reader;
        writer = null;
        reader = null;
        try {
            w.discard();
        } finally {
            r.close();
        }
        background.execute(() -> {
            try {
                Files.deleteIfExists(aside);
            } catch (IOException e) {
                LOG.warn("catch-up journal {}: could not delete the drained file: {}", aside, e.toString());
            }
        });
    }

    /** Applies the fsync interval (call now and then). */
    public void tick() throws IOException {
        if (writer != null) {
            writer.tick();
        }
    }

    /** Bytes appended and not yet delivered. */
    public long outstanding() {
        return outstanding;
    }

    public Path path() {
        return path;
    }

    private void open() throws IOException {
        if (writer == null) {
            Files.createDirectories(path.getParent());
            writer = JournalWriter.open(path, fsync, 256 << 10, background);
            reader = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            if (outstanding == 0) {
                writer.reset(); // a process's spill is never resumed by another one
            }
            writer.close();
            reader.close();
            writer = null;
        }
    }
}
