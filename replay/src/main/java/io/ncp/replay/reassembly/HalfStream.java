package io.ncp.replay.reassembly;

import io.ncp.replay.decode.TcpPacket;
import io.netty.buffer.Unpooled;

/**
 * Reassembly state of one direction of a flow. Sequence numbers are turned into 64-bit stream offsets
 * relative to the expected next sequence number with signed 32-bit differences, so wrap-around is
 * transparent as long as a segment lies within 2^30 bytes of the expected position (anything further is
 * dropped as out of window). Owned by the reassembler's thread.
 */
final class HalfStream {

    /** Segments further than this from the expected offset are dropped as out of window. */
    static final long MAX_DISTANCE = 1L << 30;

    private final FlowState owner;
    private final Direction direction;
    private final PendingSegments pending = new PendingSegments();
    private boolean anchored;
    /** Sequence number of stream offset {@link #next}. */
    private int nextSeq;
    /** Next stream offset to deliver: everything below was delivered or reported as a gap. */
    private long next;
    private long finOffset = -1;
    private boolean synSeen;
    private boolean closed;

    HalfStream(FlowState owner, Direction direction) {
        this.owner = owner;
        this.direction = direction;
    }

    boolean anchored() {
        return anchored;
    }

    boolean closed() {
        return closed;
    }

    boolean synSeen() {
        return synSeen;
    }

    /** The sequence number offset 0 had, given a SYN's sequence number (for detecting a reused flow). */
    int initialSeq() {
        return nextSeq - (int) next;
    }

    long bufferedBytes() {
        return pending.bytes();
    }

    /** Handles a segment sent in this direction. */
    void segment(TcpPacket p) {
        if (closed) {
            owner.stats().duplicateBytes += p.payloadLength;
            return;
        }
        boolean syn = p.has(TcpPacket.SYN);
        int dataSeq = syn ? p.seq + 1 : p.seq;
        if (!anchored) {
            if (!syn && p.declaredPayloadLength == 0 && !p.has(TcpPacket.FIN)) {
                return; // a bare ACK (perhaps a keep-alive one byte early) does not anchor a mid-stream direction
            }
            anchored = true;
            synSeen = syn;
            nextSeq = dataSeq;
        } else if (syn && !synSeen && next == 0 && pending.isEmpty()) {
            synSeen = true; // SYN seen after a mid-stream anchor that delivered nothing: re-anchor on it
            nextSeq = dataSeq;
        }
        long off = offsetOf(dataSeq);
        long declaredEnd = off + p.declaredPayloadLength;
        if (off > next + MAX_DISTANCE || declaredEnd < next - MAX_DISTANCE) {
            owner.stats().outOfWindow++;
            return;
        }
        long ts = p.timestampNanos;
        if (p.payloadLength > 0) {
            accept(off, p.frame, p.payloadOffset, p.payloadLength, ts);
        }
        if (p.declaredPayloadLength > p.payloadLength) {
            long lostStart = off + p.payloadLength;
            accept(lostStart, null, 0, p.declaredPayloadLength - p.payloadLength, ts);
        }
        if (p.has(TcpPacket.FIN) && finOffset < 0) {
            finOffset = declaredEnd;
        }
        if (finOffset >= 0 && next >= finOffset) {
            close(CloseReason.FIN, ts);
        }
    }

    /** The other side acknowledged up to {@code ack}: bytes below it that are still missing are lost. */
    void acked(int ack, long ts) {
        if (!anchored || closed) {
            return;
        }
        long limit = offsetOf(ack);
        if (finOffset >= 0) {
            limit = Math.min(limit, finOffset);
        }
        if (limit > next && limit - next <= MAX_DISTANCE) {
            skipTo(limit, ts);
            if (finOffset >= 0 && next >= finOffset) {
                close(CloseReason.FIN, ts);
            }
        }
    }

    /** Gives up the oldest hole (a buffer cap was exceeded): reports it as a gap and delivers what follows. */
    boolean shrink(long ts) {
        PendingSegments.Chunk first = pending.first();
        if (first == null) {
            return false;
        }
        owner.stats().capOverflows++;
        skipTo(first.start(), ts);
        return true;
    }

    /** Ends this direction: remaining holes become gaps, held data is delivered, then {@code onClose}. */
    void close(CloseReason reason, long ts) {
        if (closed) {
            return;
        }
        long end = Math.max(pending.lastEnd(), finOffset);
        if (end > next) {
            skipTo(end, ts);
        }
        closed = true;
        boolean finReached = finOffset >= 0 && next >= finOffset;
        owner.closed(direction, finReached && (reason == CloseReason.END || reason == CloseReason.IDLE)
            ? CloseReason.FIN : reason, next, ts);
    }

    private long offsetOf(int seq) {
        return next + (seq - nextSeq);
    }

    private void accept(long off, byte[] data, int dataOffset, int len, long ts) {
        long end = off + len;
        if (end <= next) {
            owner.stats().duplicateBytes += len;
            return;
        }
        if (off <= next) {
            int skip = (int) (next - off);
            owner.stats().duplicateBytes += skip;
            deliver(data, dataOffset + skip, len - skip, ts);
            drain(ts);
            return;
        }
        owner.stats().outOfOrderSegments++;
        long before = pending.bytes();
        pending.insert(off, data, dataOffset, len);
        owner.buffered(pending.bytes() - before);
        owner.enforceCaps(ts);
    }

    /** Delivers held chunks that have become contiguous. */
    private void drain(long ts) {
        PendingSegments.Chunk c;
        while ((c = pending.first()) != null && c.start() <= next) {
            pending.pollFirst();
            if (c.data() != null) {
                owner.buffered(-c.length());
            }
            long end = c.end();
            if (end <= next) {
                owner.stats().duplicateBytes += c.data() == null ? 0 : c.length();
                continue;
            }
            int skip = (int) (next - c.start());
            deliver(c.data(), skip, c.length() - skip, ts);
        }
    }

    /** Reports every hole below {@code limit} as a gap, delivering held data between them. */
    private void skipTo(long limit, long ts) {
        drain(ts);
        while (next < limit) {
            PendingSegments.Chunk c = pending.first();
            long holeEnd = c == null ? limit : Math.min(c.start(), limit);
            deliver(null, 0, (int) Math.min(Integer.MAX_VALUE, holeEnd - next), ts);
            drain(ts);
        }
    }

    /** Delivers {@code len} bytes at {@link #next}: data, or a gap when {@code data} is null. */
    private void deliver(byte[] data, int off, int len, long ts) {
        if (len <= 0) {
            return;
        }
        long at = next;
        next += len;
        nextSeq += len;
        if (data == null) {
            owner.gap(direction, at, len, ts);
        } else {
            owner.data(direction, Unpooled.wrappedBuffer(data, off, len), at, ts);
        }
    }
}
