package io.ncp.middlebox.service;

/**
 * Health and retry backoff of one replica of one service, shared by all shards (updated from several replica
 * loops: tiny, rare transitions under the object's monitor; the per-session check is one volatile read).
 */
public final class ReplicaHealth {

    static final long MIN_BACKOFF_NANOS = 100_000_000L;
    static final long MAX_BACKOFF_NANOS = 5_000_000_000L;

    private volatile ReplicaState state = ReplicaState.UP;
    private volatile long retryAtNanos;
    private int failures;

    public ReplicaState state() {
        return state;
    }

    /** Whether a new session should try this replica now (false while down and within the backoff). */
    public boolean shouldAttempt(long nowNanos) {
        return state != ReplicaState.DOWN || nowNanos - retryAtNanos >= 0;
    }

    /** A connection attempt failed or an established connection was lost: down, with exponential backoff. */
    public synchronized void failed(long nowNanos) {
        failures = Math.min(failures + 1, 30);
        long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(failures - 1, 10));
        retryAtNanos = nowNanos + backoff;
        state = ReplicaState.DOWN;
    }

    /** A connection succeeded. */
    public synchronized void connected() {
        failures = 0;
        if (state == ReplicaState.DOWN) {
            state = ReplicaState.UP;
        }
    }

    /** A session copy overflowed its backlog. */
    public synchronized void overflowed() {
        if (state != ReplicaState.DOWN) {
            state = ReplicaState.LAGGING;
        }
    }

    /** A session copy finished cleanly (all bytes delivered). */
    public synchronized void completed() {
        if (state == ReplicaState.LAGGING) {
            state = ReplicaState.UP;
        }
    }
}
