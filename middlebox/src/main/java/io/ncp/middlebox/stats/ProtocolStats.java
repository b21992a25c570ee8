package io.ncp.middlebox.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-service counters of request-aware replication ({@code protocol: redis|postgres|mysql|http}). Thread-safe
 * (LongAdders).
 */
public final class ProtocolStats {

    /** Requests framed in client streams. */
    public final LongAdder requests = new LongAdder();
    /** Requests not replayed to the replicas (the replay policy's {@code noReplay}). */
    public final LongAdder skipped = new LongAdder();
    /** Sessions whose replication ended at a request of {@code notReplicated} (SYNC, PSYNC, MONITOR). */
    public final LongAdder unreplicated = new LongAdder();
    /**
     * Leading AUTH / HELLO requests (the replicas' authentication phase: rewritten per replica, replies not
     * compared, not numbered).
     */
    public final LongAdder authentication = new LongAdder();
    /** Requests whose answers are noise (not compared). */
    public final LongAdder noisy = new LongAdder();
    /**
     * Writes whose SQL calls a per-server function (NOW(), RAND(), UUID(), ...; postgres, mysql): each server evaluates
     * it itself, so a replica's data can differ from the primary's while every answer compares equal.
     */
    public final LongAdder nondeterministicWrites = new LongAdder();
    /** Client streams that stopped being RESP / PostgreSQL (replicated as bytes from there on). */
    public final LongAdder framingErrors = new LongAdder();
    /**
     * PostgreSQL sessions whose answers can no longer be gated per exchange (a Flush outside COPY, or a framing
     * error): a lockstep gate passes them through from there on.
     */
    public final LongAdder ungated = new LongAdder();
    /** {@code order: service}: requests that waited for another connection's requests to be consumed by the primary. */
    public final LongAdder orderWaits = new LongAdder();
    /** Time those requests waited. */
    public final LongAdder orderWaitNanos = new LongAdder();
    /** Waits that reached the bound: the request went to the primary anyway (its order is not guaranteed). */
    public final LongAdder orderTimeouts = new LongAdder();
    /** {@code CLIENT LIST} polls of the primary that failed (blocking requests then wait for their replies). */
    public final LongAdder orderProbeFailures = new LongAdder();
}
