package io.ncp.replay.reassembly;

/** Counters of a {@link TcpReassembler}; written by its owner thread only. */
public final class ReassemblyStats {

    /** TCP segments offered. */
    public long segments;
    public long flowsOpened;
    public long flowsClosed;
    /** Bytes delivered to the listener. */
    public long bytesDelivered;
    /** Bytes seen again (retransmissions, overlaps) and dropped. */
    public long duplicateBytes;
    /** Segments that arrived ahead of a hole and were held. */
    public long outOfOrderSegments;
    public long gaps;
    public long gapBytes;
    /** Gaps forced by a buffer cap (per flow or total) rather than by proof of loss. */
    public long capOverflows;
    /** Segments too far outside the expected window (garbage or another connection): dropped. */
    public long outOfWindow;
    /** Packets for no known flow that cannot start one (pure ACKs, FIN or RST of unseen flows). */
    public long ignored;
    /** Out-of-order bytes held now, and the most ever held. */
    public long bufferedBytes;
    public long maxBufferedBytes;

    @Override
    public String toString() {
        return "segments=" + segments + " flows=" + flowsOpened + " closed=" + flowsClosed + " bytes=" + bytesDelivered
            + " duplicate=" + duplicateBytes + " outOfOrder=" + outOfOrderSegments + " gaps=" + gaps + " gapBytes="
            + gapBytes + " capOverflows=" + capOverflows + " outOfWindow=" + outOfWindow + " ignored=" + ignored
            + " maxBuffered=" + maxBufferedBytes;
    }
}
