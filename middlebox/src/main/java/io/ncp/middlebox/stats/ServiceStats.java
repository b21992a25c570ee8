package io.ncp.middlebox.stats;

import java.util.concurrent.atomic.LongAdder;

/** Per-service counters of the primary path. Thread-safe (LongAdders). */
public final class ServiceStats {

    /** Client connections accepted. */
    public final LongAdder accepted = new LongAdder();
    /** Client connections refused: maxSessions or the descriptor budget reached (reset at once). */
    public final LongAdder refused = new LongAdder();
    /** Failed accepts on the service's listener (e.g. EMFILE); each pauses accepting for a second. */
    public final LongAdder acceptFailures = new LongAdder();
    /** Sessions whose primary connection succeeded. */
    public final LongAdder sessions = new LongAdder();
    /** Sessions currently open (incremented at accept, decremented when client and primary are closed). */
    public final LongAdder active = new LongAdder();
    /** Client bytes forwarded to the primary. */
    public final LongAdder bytesIn = new LongAdder();
    /** Primary bytes forwarded to the client. */
    public final LongAdder bytesOut = new LongAdder();
    /** Primary connect failures (client closed). */
    public final LongAdder primaryFailures = new LongAdder();
    /** Sessions ended by a reset (client or primary). */
    public final LongAdder resets = new LongAdder();
    /** Sessions whose replica copies were damaged because the ring (or its byte cap) was full. */
    public final LongAdder ringFull = new LongAdder();
    /** {@code ringFull: throttle}: times a session stopped reading its client, its shard's ring half full. */
    public final LongAdder ringThrottled = new LongAdder();
    /** Sessions whose answer comparison was given up because the ring's control queue was full. */
    public final LongAdder comparisonsDropped = new LongAdder();
    /** Lockstep: replicas dropped from a session for holding the client's answers too long. */
    public final LongAdder lockstepDrops = new LongAdder();
    /** Sessions never shown to the replicas because the ring was full at open. */
    public final LongAdder ringMissed = new LongAdder();
    /** Mirror: sessions whose client-to-server stream had a capture gap (their replica copies were damaged). */
    public final LongAdder captureGaps = new LongAdder();
    /** Mirror: sessions whose primary answers had a capture gap (not compared). */
    public final LongAdder answerGaps = new LongAdder();
    /** Mirror: flows first seen mid-stream (no SYN: the capture started late), never replicated. */
    public final LongAdder midstream = new LongAdder();
    /** Failover with voters: the primary missed its probes here, but the voters did not agree that it is down. */
    public final LongAdder failoverVetoes = new LongAdder();
    /** Request-aware replication ({@code protocol: redis}): skipped requests, unreplicated sessions, noise. */
    public final ProtocolStats protocol = new ProtocolStats();
    /** New sessions whose primary connect completed after a failover fenced its target: connected again. */
    public final LongAdder fencedConnects = new LongAdder();
}
