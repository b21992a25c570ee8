package io.ncp.replay.reassembly;

import java.util.Map;
import java.util.TreeMap;

/**
 * Out-of-order bytes of one direction, as non-overlapping chunks keyed by stream offset. Where a new
 * segment overlaps data already held, the data already held wins (first copy received), like most TCP
 * stacks. A chunk with null data marks bytes known to be lost (cut by the snap length).
 */
final class PendingSegments {

    /** A held chunk: {@code data == null} means a known-lost range of {@code length} bytes. */
    record Chunk(long start, byte[] data, int length) {
        long end() {
            return start + length;
        }
    }

    private final TreeMap<Long, Chunk> chunks = new TreeMap<>();
    private long bytes;

    /** Bytes of data held (lost markers count zero). */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** The lowest-offset chunk, or null. */
    Chunk first() {
        Map.Entry<Long, Chunk> e = chunks.firstEntry();
        return e == null ? null : e.getValue();
    }

    Chunk pollFirst() {
        Map.Entry<Long, Chunk> e = chunks.pollFirstEntry();
        if (e == null) {
            return null;
        }
        if (e.getValue().data() != null) {
            bytes -= e.getValue().length();
        }
        return e.getValue();
    }

    /** End offset of the highest chunk, or -1. */
    long lastEnd() {
        Map.Entry<Long, Chunk> e = chunks.lastEntry();
        return e == null ? -1 : e.getValue().end();
    }

    /**
     * Holds {@code src[off .. off + len)} at stream offset {@code start} (or a lost marker when {@code src} is
     * null), copying only the parts no held chunk covers yet.
     *
     * @return bytes newly held
     */
    int insert(long start, byte[] src, int off, int len) {
        long end = start + len;
        long cursor = start;
        int added = 0;
        Map.Entry<Long, Chunk> floor = chunks.floorEntry(start);
        if (floor != null && floor.getValue().end() > cursor) {
            cursor = floor.getValue().end();
        }
        while (cursor < end) {
            Map.Entry<Long, Chunk> next = chunks.ceilingEntry(cursor);
            long pieceEnd = next == null ? end : Math.min(end, next.getKey());
            if (pieceEnd > cursor) {
                int n = (int) (pieceEnd - cursor);
                byte[] copy = null;
                if (src != null) {
                    copy = new byte[n];
                    System.arraycopy(src, off + (int) (cursor - start), copy, 0, n);
                    added += n;
                }
                chunks.put(cursor, new Chunk(cursor, copy, n));
            }
            if (next == null || next.getKey() >= end) {
                break;
            }
            cursor = next.getValue().end();
        }
        bytes += added;
        return added;
    }

    void clear() {
        chunks.clear();
        bytes = 0;
    }
}
