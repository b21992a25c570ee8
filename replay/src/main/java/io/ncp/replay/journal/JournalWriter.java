package io.ncp.replay.journal;

import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

/**
 * Appends records to a journal file. Opening an existing journal first validates it: a torn tail (a record
 * a crash cut short) is truncated and reported in {@link #recovery()}; corruption followed by valid records
 * fails with {@link JournalCorruptException} and leaves the file untouched.
 *
 * <p>Records are buffered (default 256 KiB) and handed to the OS when the buffer fills, on {@link #flush()},
 * and when the {@link FsyncPolicy} forces them to disk. A record larger than the buffer goes out in several
 * writes. Threading: one owner thread, no locks; {@link ByteBuf} arguments are read, never retained or
 * released (the caller keeps ownership).
 *
 * <p>With a <em>syncer</em> ({@link #open(Path, FsyncPolicy, int, Executor)}) an interval policy's fsync runs there,
 * not on the owner thread: the owner hands the buffered records to the OS and goes on, while the syncer forces the
 * file (at most one fsync in flight; a sync due meanwhile is retried by the next append or {@link #tick()}). An
 * fsync of a file with hundreds of MB written since the last one takes hundreds of ms, which an event loop cannot
 * spend. A failed background fsync fails the owner's next call with that error. {@link FsyncPolicy#ALWAYS} and
 * {@link #close()} still fsync on the owner thread.
 */
public final class JournalWriter implements AutoCloseable {

    /** What opening found. */
    public record Recovery(long records, long truncatedBytes, String problem, long maxSessionId, long lastNanos) {
    }

    private final String file;
    private final FileChannel channel;
    private final FsyncPolicy policy;
    private final ByteBuffer buffer;
    private final ByteBuffer frame = ByteBuffer.allocate(JournalFormat.FRAME);
    private final CRC32C crc = new CRC32C();
    private final Recovery recovery;
    private long records;
    private long unsyncedSinceNanos = -1;
    private boolean closed;
    /** Null: fsync on the owner thread. */
    private final Executor syncer;
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile IOException syncFailure;

    private JournalWriter(String file, FileChannel channel, FsyncPolicy policy, int bufferSize, Recovery recovery,
            Executor syncer) {
        this.file = file;
        this.channel = channel;
        this.policy = policy;
        this.buffer = ByteBuffer.allocate(bufferSize);
        this.recovery = recovery;
        this.syncer = syncer;
    }

    public static JournalWriter open(Path path, FsyncPolicy policy) throws IOException {
        return open(path, policy, 256 << 10);
    }

    /** Creates {@code path} or validates it, truncates a torn tail, and positions at its end. */
    public static JournalWriter open(Path path, FsyncPolicy policy, int bufferSize) throws IOException {
        return open(path, policy, bufferSize, null);
    }

    /**
     * {@link #open(Path, FsyncPolicy, int)} whose interval fsyncs run on {@code syncer} (null: on the owner thread),
     * see the class comment.
     */
    public static JournalWriter open(Path path, FsyncPolicy policy, int bufferSize, Executor syncer)
            throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        try {
            Recovery rec = recover(path.toString(), ch);
            ch.position(ch.size());
            return new JournalWriter(path.toString(), ch, policy, Math.max(bufferSize, JournalFormat.FRAME), rec,
                syncer);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** True when {@code path} starts with the journal file magic. */
    public static boolean looksLikeJournal(Path path) throws IOException {
        try (var in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(JournalFormat.FILE_MAGIC.length);
            return java.util.Arrays.equals(head, JournalFormat.FILE_MAGIC);
        }
    }

    private static Recovery recover(String file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < JournalFormat.FILE_HEADER) {
            if (size > 0) { // a header torn by a crash right after creation: nothing was ever recorded
                ByteBuffer head = ByteBuffer.allocate((int) size);
                ch.read(head, 0);
                byte[] magic = JournalFormat.FILE_MAGIC;
                for (int i = 0; i < Math.min(size, magic.length); i++) {
                    if (head.get(i) != magic[i]) {
                        throw new JournalCorruptException(file, 0, "not an NCP journal (bad file magic)");
                    }
                }
            }
            ch.truncate(0);
            ch.write(JournalFormat.fileHeader(System.currentTimeMillis() * 1_000_000L), 0);
            return new Recovery(0, size, size > 0 ? "torn file header" : null, 0, 0);
        }
        ByteBuffer head = ByteBuffer.allocate(JournalFormat.FILE_HEADER);
        ch.read(head, 0);
        String bad = JournalFormat.checkFileHeader(head.array());
        if (bad != null) {
            throw new JournalCorruptException(file, 0, bad);
        }
        JournalScanner scanner = new JournalScanner(ch, JournalFormat.FILE_HEADER);
        long count = 0;
        long maxSession = 0;
        long last = 0;
        while (true) {
            JournalScanner.Step step = scanner.next();
            if (step.record() != null) {
                count++;
                maxSession = Math.max(maxSession, step.record().sessionId());
                last = Math.max(last, step.record().timestampNanos());
                continue;
            }
            if (step.isEnd()) {
                return new Recovery(count, 0, null, maxSession, last);
            }
            if (!step.isTorn()) {
                throw new JournalCorruptException(file, step.badPosition(), step.problem() + "; valid records follow"
                    + " at byte offset " + step.nextValid() + ", so this is corruption, not a torn tail: not"
                    + " truncating (copy the file aside to investigate)");
            }
            long dropped = size - step.badPosition();
            ch.truncate(step.badPosition());
            ch.force(true);
            return new Recovery(count, dropped, step.problem(), maxSession, last);
        }
    }

    public Recovery recovery() {
        return recovery;
    }

    /** Records appended through this writer. */
    public long records() {
        return records;
    }

    /** File size including buffered bytes. */
    public long position() throws IOException {
        return channel.position() + buffer.position();
    }

    public void open(SessionInfo session, long timestampNanos) throws IOException {
        byte[] p = session.encode();
        append(RecordType.OPEN, session.sessionId(), Direction.CLIENT_TO_SERVER, 0, timestampNanos, 0, 0,
            ByteBuffer.wrap(p));
    }

    /** Appends {@code data}'s readable bytes (indices untouched; the caller still owns the buffer). */
    public void data(long session, Direction d, long offset, ByteBuf data, long timestampNanos) throws IOException {
        int len = data.readableBytes();
        int at = data.readerIndex();
        while (len > 0) {
            int n = Math.min(len, JournalFormat.MAX_PAYLOAD);
            append(RecordType.DATA, session, d, 0, timestampNanos, offset, 0, data.nioBuffer(at, n));
            at += n;
            offset += n;
            len -= n;
        }
    }

    public void data(long session, Direction d, long offset, byte[] b, int off, int len, long timestampNanos)
            throws IOException {
        while (len > 0) {
            int n = Math.min(len, JournalFormat.MAX_PAYLOAD);
            append(RecordType.DATA, session, d, 0, timestampNanos, offset, 0, ByteBuffer.wrap(b, off, n));
            off += n;
            offset += n;
            len -= n;
        }
    }

    public void gap(long session, Direction d, long offset, long length, long timestampNanos) throws IOException {
        append(RecordType.GAP, session, d, 0, timestampNanos, offset, length, ByteBuffer.allocate(0));
    }

    public void close(long session, Direction d, CloseReason reason, long offset, long timestampNanos)
            throws IOException {
        append(RecordType.CLOSE, session, d, reason.code(), timestampNanos, offset, 0, ByteBuffer.allocate(0));
    }

    private void append(RecordType type, long session, Direction d, int flags, long ts, long offset, long aux,
            ByteBuffer payload) throws IOException {
        if (closed) {
            throw new IOException(file + ": journal writer is closed");
        }
        checkSyncFailure();
        int len = payload.remaining();
        frame.clear();
        frame.putInt(JournalFormat.RECORD_MAGIC).putInt(0).putInt(len).put((byte) type.code())
            .put((byte) d.ordinal()).putShort((short) flags).putLong(ts).putLong(session).putLong(offset).putLong(aux);
        crc.reset();
        crc.update(frame.array(), 8, JournalFormat.FRAME - 8);
        crc.update(payload.duplicate());
        frame.putInt(4, (int) crc.getValue());
        frame.flip();
        put(frame);
        put(payload.duplicate());
        records++;
        afterAppend();
    }

    private void put(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (!buffer.hasRemaining()) {
                writeBuffer();
            }
            int n = Math.min(src.remaining(), buffer.remaining());
            ByteBuffer slice = src.slice();
            slice.limit(n);
            buffer.put(slice);
            src.position(src.position() + n);
        }
    }

    private void afterAppend() throws IOException {
        if (policy.interval() == null) {
            return;
        }
        long now = System.nanoTime();
        if (unsyncedSinceNanos < 0) {
            unsyncedSinceNanos = now;
        }
        if (policy.interval().isZero()) {
            sync();
        } else if (now - unsyncedSinceNanos >= policy.interval().toNanos()) {
            intervalSync();
        }
    }

    /** The interval policy's fsync: on the syncer when there is one (see the class comment), else here. */
    private void intervalSync() throws IOException {
        if (syncer == null) {
            sync();
            return;
        }
        if (!syncing.compareAndSet(false, true)) {
            return; // one in flight: it may have started before the last writes; retried by the next call
        }
        try {
            writeBuffer();
            syncer.execute(() -> {
                try {
                    channel.force(false);
                } catch (ClosedChannelException closedMeanwhile) {
                    // closed by its owner: close() forced it or the file was given up
                } catch (IOException e) {
                    syncFailure = e;
                } finally {
                    syncing.set(false);
                }
            });
        } catch (IOException | RuntimeException e) {
            syncing.set(false);
            throw e;
        }
        unsyncedSinceNanos = -1;
    }

    private void checkSyncFailure() throws IOException {
        IOException e = syncFailure;
        if (e != null) {
            throw new IOException(file + ": fsync failed: " + e.getMessage(), e);
        }
    }

    /** Applies the fsync interval when no records arrive; call it now and then from the owner thread. */
    public void tick() throws IOException {
        checkSyncFailure();
        if (policy.interval() != null && unsyncedSinceNanos >= 0
                && System.nanoTime() - unsyncedSinceNanos >= policy.interval().toNanos()) {
            intervalSync();
        }
    }

    /**
     * Drops every record: the file is cut back to its header (a spill file whose records were all delivered).
     * Buffered records are discarded.
     */
    public void reset() throws IOException {
        buffer.clear();
        channel.truncate(JournalFormat.FILE_HEADER);
        channel.position(JournalFormat.FILE_HEADER);
        unsyncedSinceNanos = -1;
    }

    /** Hands buffered records to the OS (they survive a process crash from now on). */
    public void flush() throws IOException {
        writeBuffer();
    }

    /** Flushes and forces the file to disk. */
    public void sync() throws IOException {
        writeBuffer();
        channel.force(false);
        unsyncedSinceNanos = -1;
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * Closes the file without writing what is buffered and without an fsync: for a file whose records are no longer
     * needed (a spill file whose records were all delivered, about to be deleted).
     */
    public void discard() throws IOException {
        if (!closed) {
            closed = true;
            buffer.clear();
            channel.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            sync();
        } finally {
            closed = true;
            channel.close();
        }
    }
}
