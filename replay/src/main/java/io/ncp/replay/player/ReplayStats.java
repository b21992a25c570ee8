package io.ncp.replay.player;

import java.util.concurrent.atomic.AtomicLong;

/** Replay counters, updated from the scheduler and the event loops. */
public final class ReplayStats {

    /** Sessions in the input. */
    public final AtomicLong sessions = new AtomicLong();
    /** Sessions for which a connection was attempted. */
    public final AtomicLong started = new AtomicLong();
    /** Sessions whose connection has finished (any way). */
    public final AtomicLong finished = new AtomicLong();
    /** Damaged sessions not replayed ({@code --skip-damaged}). */
    public final AtomicLong skippedDamaged = new AtomicLong();
    /** Damaged sessions replayed up to their first client-to-server gap, then closed. */
    public final AtomicLong cutAtGap = new AtomicLong();
    /** Client bytes not sent because they came after a gap or belonged to a skipped session. */
    public final AtomicLong bytesNotSent = new AtomicLong();
    /** Client bytes written to the target. */
    public final AtomicLong bytesSent = new AtomicLong();
    /** Bytes the target answered. */
    public final AtomicLong bytesAnswered = new AtomicLong();
    /** Server bytes the capture holds for the replayed sessions (what the original server answered). */
    public final AtomicLong bytesCapturedAnswers = new AtomicLong();
    /** Connections that failed (refused, reset, timed out, stalled). */
    public final AtomicLong errors = new AtomicLong();
    /** Sessions the target closed before all their bytes were sent. */
    public final AtomicLong closedEarly = new AtomicLong();
    /** Sessions closed by us after the drain timeout (the target neither answered fully nor closed). */
    public final AtomicLong drainTimeouts = new AtomicLong();
    /** Largest number of sessions connected at once. */
    public final AtomicLong maxConcurrent = new AtomicLong();
    final AtomicLong active = new AtomicLong();

    void sessionStarted() {
        started.incrementAndGet();
        long now = active.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
    }

    void sessionFinished() {
        active.decrementAndGet();
        finished.incrementAndGet();
    }
}
