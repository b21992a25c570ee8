package io.ncp.replay.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams the records of a journal file without changing it. A torn tail ends the stream normally and is
 * reported by {@link #tornTail()}; corruption followed by valid records throws
 * {@link JournalCorruptException}. Single-threaded.
 */
public final class JournalReader implements AutoCloseable {

    /** A torn tail: where it starts, how many bytes, and what was wrong. */
    public record TornTail(long position, long bytes, String problem) {
    }

    private final String file;
    private final FileChannel channel;
    private final JournalScanner scanner;
    private TornTail torn;
    private boolean done;

    private JournalReader(String file, FileChannel channel, JournalScanner scanner) {
        this.file = file;
        this.channel = channel;
        this.scanner = scanner;
    }

    /**
     * Opens {@code path} and checks its header.
     *
     * @throws JournalCorruptException when it is not a journal (or too short to be one)
     */
    public static JournalReader open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (ch.size() < JournalFormat.FILE_HEADER) {
                throw new JournalCorruptException(path.toString(), 0, "too short for a journal header ("
                    + ch.size() + " bytes)");
            }
            ByteBuffer head = ByteBuffer.allocate(JournalFormat.FILE_HEADER);
            ch.read(head, 0);
            String bad = JournalFormat.checkFileHeader(head.array());
            if (bad != null) {
                throw new JournalCorruptException(path.toString(), 0, bad);
            }
            return new JournalReader(path.toString(), ch, new JournalScanner(ch, JournalFormat.FILE_HEADER));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The next record, or null at the end (including a torn tail). */
    public JournalRecord next() throws IOException {
        if (done) {
            return null;
        }
        JournalScanner.Step step = scanner.next();
        if (step.record() != null) {
            return step.record();
        }
        done = true;
        if (step.isEnd()) {
            return null;
        }
        if (step.isTorn()) {
            torn = new TornTail(step.badPosition(), scanner.size() - step.badPosition(), step.problem());
            return null;
        }
        throw new JournalCorruptException(file, step.badPosition(), step.problem() + "; valid records follow at"
            + " byte offset " + step.nextValid());
    }

    /**
     * The whole, valid record at byte offset {@code position} of an open journal file (random access, e.g. a spill
     * file read back while it is written: flush the writer first).
     *
     * @throws JournalCorruptException when no whole, valid record starts there
     */
    public static JournalRecord readAt(FileChannel channel, String file, long position) throws IOException {
        JournalScanner.Step step = new JournalScanner(channel, position).next();
        if (step.record() == null) {
            throw new JournalCorruptException(file, position, step.problem() == null ? "no record there"
                : step.problem());
        }
        return step.record();
    }

    /** Decodes an OPEN record's session description; null when its payload is malformed. */
    public static SessionInfo sessionInfo(JournalRecord open) {
        return SessionInfo.decode(open.sessionId(), open.timestampNanos(), open.payload());
    }

    /** Non-null once the stream ended at a torn tail. */
    public TornTail tornTail() {
        return torn;
    }

    public String file() {
        return file;
    }

    /** Bytes read so far and total size, for progress. */
    public long position() {
        return scanner.position();
    }

    public long size() {
        return scanner.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
