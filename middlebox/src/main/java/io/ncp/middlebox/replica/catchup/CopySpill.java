package io.ncp.middlebox.replica.catchup;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One replica copy's spilled bytes, in order: while any is left, every new byte of the copy is spilled too (so the
 * replica gets them in the order the client sent them), and they are read back as the replica takes them.
 * Replica loop only.
 */
public final class CopySpill {

    private final SpillFile file;
    private final long session;
    private final ArrayDeque<SpillFile.Segment> segments = new ArrayDeque<>();
    private long bytes;

    public CopySpill(SpillFile file, long session) {
        this.file = file;
        this.session = session;
    }

    /** Whether bytes are spilled and not yet read back. */
    public boolean active() {
        return !segments.isEmpty();
    }

    /** Bytes spilled and not yet read back. */
    public long bytes() {
        return bytes;
    }

    /** Spills {@code data}'s readable bytes (borrowed), stream offset {@code offset}. */
    public void append(ByteBuf data, long offset) throws IOException {
        SpillFile.Segment s = file.append(session, offset, data);
        segments.add(s);
        bytes += s.length();
    }

    /** The next spilled chunk (the caller owns it), or null. */
    public ByteBuf next() throws IOException {
        SpillFile.Segment s = segments.poll();
        if (s == null) {
            return null;
        }
        bytes -= s.length();
        ByteBuf b = file.read(s);
        file.done(s);
        return b;
    }

    /** Gives up what is left (the copy is over). */
    public void discard() throws IOException {
        SpillFile.Segment s;
        while ((s = segments.poll()) != null) {
            file.done(s);
        }
        bytes = 0;
    }

    /** The file it spills to (for messages). */
    public SpillFile file() {
        return file;
    }
}
