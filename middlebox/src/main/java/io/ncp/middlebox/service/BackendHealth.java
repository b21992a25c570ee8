package io.ncp.middlebox.service;

/**
 * Whether a backend (the primary or a replica) can be talked to: UP or DOWN, with the time and reason of the last
 * change, from the outcomes of its connections (and its probes, when configured). A DOWN backend is retried by new
 * sessions after an exponential backoff (100 ms doubling to 5 s). Independent of whether a replica's state can be
 * trusted ({@link ReplicaConsistency}).
 *
 * <p>Updated from several event loops: transitions under the monitor (rare); reads are volatile.
 */
public final class BackendHealth {

    /** Reachability. */
    public enum State {
        UP, DOWN
    }

    static final long MIN_BACKOFF_NANOS = 100_000_000L;
    static final long MAX_BACKOFF_NANOS = 5_000_000_000L;

    private volatile State state = State.UP;
    private volatile long sinceMillis = System.currentTimeMillis();
    private volatile String reason = "no connection tried yet";
    private volatile long retryAtNanos;
    private volatile long lastOkNanos = System.nanoTime() - (1L << 62);
    private int failures;

    public State state() {
        return state;
    }

    public boolean up() {
        return state == State.UP;
    }

    /** Wall-clock time of the last change. */
    public long sinceMillis() {
        return sinceMillis;
    }

    /**
     * A connection or probe that started at {@code attemptNanos} ({@link System#nanoTime()}) succeeded: proof that
     * the backend was alive after that instant (an attempt that began earlier proves nothing about a later end).
     */
    public void connected(long attemptNanos) {
        synchronized (this) {
            if (attemptNanos != 0 && attemptNanos - lastOkNanos > 0) {
                lastOkNanos = attemptNanos;
            }
        }
        connected();
    }

    /** Whether a connection or probe that started after {@code nanos} ({@link System#nanoTime()}) succeeded. */
    public boolean okSince(long nanos) {
        return lastOkNanos - nanos > 0;
    }

    /** Why it is in its state. */
    public String reason() {
        return reason;
    }

    /** Whether a new session should try it now (false while DOWN and within the backoff). */
    public boolean shouldAttempt(long nowNanos) {
        return state == State.UP || nowNanos - retryAtNanos >= 0;
    }

    /** A connection (or probe) succeeded. */
    public synchronized void connected() {
        failures = 0;
        if (state != State.UP) {
            state = State.UP;
            sinceMillis = System.currentTimeMillis();
        }
        reason = "connected";
    }

    /** A connection (or probe) failed ({@code why}): DOWN, retried after the backoff. */
    public synchronized void failed(long nowNanos, String why) {
        failures = Math.min(failures + 1, 30);
        retryAtNanos = nowNanos + Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(failures - 1, 10));
        if (state != State.DOWN) {
            state = State.DOWN;
            sinceMillis = System.currentTimeMillis();
        }
        reason = why;
    }
}
