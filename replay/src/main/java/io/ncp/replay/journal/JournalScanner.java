package io.ncp.replay.journal;

import io.ncp.replay.reassembly.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads and validates records one after another from a journal file (positional reads, the channel's own
 * position is not used). At the first record that is not whole and valid it tells a <em>torn tail</em>
 * (nothing valid follows: a crash interrupted the last write) from <em>corruption</em> (valid records
 * follow the bad one).
 */
final class JournalScanner {

    /** Outcome of {@link #next()}: a record, or where and why reading stopped. */
    record Step(JournalRecord record, long badPosition, String problem, long nextValid) {
        boolean isEnd() {
            return record == null && problem == null;
        }

        boolean isTorn() {
            return problem != null && nextValid < 0;
        }
    }

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer frame = ByteBuffer.allocate(JournalFormat.FRAME);
    private long position;

    JournalScanner(FileChannel channel, long start) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.position = start;
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    Step next() throws IOException {
        if (position >= size) {
            return new Step(null, position, null, -1);
        }
        Object r = readAt(position);
        if (r instanceof JournalRecord rec) {
            position += JournalFormat.FRAME + rec.payload().length;
            return new Step(rec, -1, null, -1);
        }
        return new Step(null, position, (String) r, findValidAfter(position));
    }

    /** A record at {@code at}, or a String saying why there is none. */
    private Object readAt(long at) throws IOException {
        if (size - at < JournalFormat.FRAME) {
            return "incomplete record frame (" + (size - at) + " of " + JournalFormat.FRAME + " bytes)";
        }
        frame.clear();
        readFully(frame, at);
        frame.flip();
        if (frame.getInt(0) != JournalFormat.RECORD_MAGIC) {
            return "bad record magic";
        }
        int length = frame.getInt(8);
        if (length < 0 || length > JournalFormat.MAX_PAYLOAD) {
            return "bad record length " + length;
        }
        if (size - at - JournalFormat.FRAME < length) {
            return "incomplete record payload (" + (size - at - JournalFormat.FRAME) + " of " + length + " bytes)";
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(payload, at + JournalFormat.FRAME);
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), 8, JournalFormat.FRAME - 8);
        crc.update(payload.array(), 0, length);
        if ((int) crc.getValue() != frame.getInt(4)) {
            return "record checksum mismatch";
        }
        RecordType type = RecordType.of(frame.get(12));
        int dir = frame.get(13);
        if (type == null || dir < 0 || dir > 1) {
            return "unknown record type " + frame.get(12) + " or direction " + dir;
        }
        return new JournalRecord(at, type, frame.getLong(24), Direction.values()[dir], frame.getShort(14) & 0xFFFF,
            frame.getLong(16), frame.getLong(32), frame.getLong(40), payload.array());
    }

    /** Position of the first valid record after {@code bad}, or -1. */
    private long findValidAfter(long bad) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        long base = bad + 1;
        while (base + JournalFormat.FRAME <= size) {
            chunk.clear();
            int n = channel.read(chunk, base);
            if (n < 4) {
                return -1;
            }
            for (int i = 0; i + 4 <= n; i++) {
                if (chunk.getInt(i) == JournalFormat.RECORD_MAGIC && readAt(base + i) instanceof JournalRecord) {
                    return base + i;
                }
            }
            base += n - 3;
        }
        return -1;
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new IOException("journal shrank while being read");
            }
            p += n;
        }
    }
}
