package io.ncp.middlebox.stats;

import java.util.concurrent.atomic.LongAdder;

/** Per-service, per-replica counters. Thread-safe (LongAdders). */
public final class ReplicaStats {

    /** Sessions replicated to this replica (counted at the front when the session opened). */
    public final LongAdder included = new LongAdder();
    /** Session copies ended, whatever their outcome (sent in full, damaged, missed): included minus in flight. */
    public final LongAdder finished = new LongAdder();
    /** Session copies whose replica connection succeeded. */
    public final LongAdder sessions = new LongAdder();
    /** Sessions skipped because the replica was down (in retry backoff). */
    public final LongAdder missed = new LongAdder();
    /** Replica connect failures. */
    public final LongAdder connectFailures = new LongAdder();
    /** Session copies dropped because their backlog overflowed (replica too slow). */
    public final LongAdder lagging = new LongAdder();
    /** Session copies dropped because the replica took no byte for replicaTimeout (it stopped reading). */
    public final LongAdder stalled = new LongAdder();
    /** Times a session copy started spilling to the catch-up journal (its replica fell behind). */
    public final LongAdder spills = new LongAdder();
    /** Bytes spilled to the catch-up journal. */
    public final LongAdder spilledBytes = new LongAdder();
    /** Session copies damaged for any reason (overflow, ring full, connection lost, connect failure). */
    public final LongAdder damaged = new LongAdder();
    /** Session copies whose replica connection was lost (reset/closed) while the session still had bytes. */
    public final LongAdder lost = new LongAdder();
    /** Bytes written to the replica. */
    public final LongAdder bytesSent = new LongAdder();
    /** Bytes the replica answered (read and digested, then dropped). */
    public final LongAdder bytesAnswered = new LongAdder();
    /** Current bytes queued for the replica (all sessions): the replication lag in bytes. */
    public final LongAdder backlogBytes = new LongAdder();
    /** Session copies whose answers were compared to the end. */
    public final LongAdder compared = new LongAdder();
    /** Session copies ended without a full comparison (session reset, or the replica never ended its answers). */
    public final LongAdder uncompared = new LongAdder();
    /** Session copies whose answers differed from the primary's. */
    public final LongAdder divergent = new LongAdder();
    /** Session copies that held their client bytes until earlier-ended sessions finished here (session order). */
    public final LongAdder orderWaits = new LongAdder();
    /** Total time session copies spent waiting for earlier-ended sessions, in nanoseconds. */
    public final LongAdder orderWaitNanos = new LongAdder();
    /** {@code order: service}: requests that waited for another connection's requests to be consumed here. */
    public final LongAdder requestOrderWaits = new LongAdder();
    /** Time those requests waited. */
    public final LongAdder requestOrderWaitNanos = new LongAdder();
    /** Copies dropped because the replica did not consume a request within the bound (the replica is STALE). */
    public final LongAdder requestOrderDrops = new LongAdder();
    /** {@code CLIENT LIST} polls of the replica that failed. */
    public final LongAdder requestOrderProbeFailures = new LongAdder();
    /** The last divergent sessions (where their answers first differed). */
    public final DivergenceLog divergences = new DivergenceLog();

    /** Online resyncs started (admin API, CLI or autoResync). */
    public final LongAdder resyncs = new LongAdder();
    /** Of those, started by autoResync. */
    public final LongAdder autoResyncs = new LongAdder();
    /** Online resyncs that ended STALE. */
    public final LongAdder resyncFailures = new LongAdder();
    /** protocol redis with failover probes: the replica's run id read ({@code INFO server}; a change: restarted). */
    public final LongAdder identityChecks = new LongAdder();
}
