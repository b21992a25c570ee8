package io.ncp.middlebox.order;

import io.ncp.middlebox.stats.ReplicaStats;
import java.util.concurrent.Executor;

/**
 * One replica copy's part in causal session order: it holds the copy's client bytes while sessions that ended before
 * this one opened are still unfinished on the replica, and reports this session's own end number to the replica's
 * {@link FinishLedger} once the copy is finished or has caught up (whichever first, once). Replica loop only (the
 * ledger wakes it with a task on that loop).
 */
public final class CopyOrder {

    private final FinishLedger ledger;
    private final ReplicaStats stats;
    private boolean holding;
    private long holdStartNanos;
    private long endNumber;
    private boolean finished;
    private boolean reported;

    public CopyOrder(FinishLedger ledger, ReplicaStats stats) {
        this.ledger = ledger;
        this.stats = stats;
    }

    /**
     * Holds the copy's bytes until every session numbered {@code <= after} finished on the replica (counted when it
     * must wait); {@code wake} then runs on {@code loop}.
     */
    public void holdUntil(long after, long nowNanos, Executor loop, Runnable wake) {
        if (after <= 0 || finished || ledger.reached(after)) {
            return;
        }
        holding = true;
        holdStartNanos = nowNanos;
        stats.orderWaits.increment();
        ledger.await(after, loop, wake);
    }

    /** Whether client bytes must still be held back. */
    public boolean holding() {
        return holding;
    }

    /** Stops holding (woken, or the copy finished first); true when it was holding. */
    public boolean release() {
        if (!holding) {
            return false;
        }
        holding = false;
        stats.orderWaitNanos.add(System.nanoTime() - holdStartNanos);
        return true;
    }

    /** The session ended at the front with end {@code number}. */
    public void ended(long number) {
        endNumber = number;
        report();
    }

    /** The copy is finished (done, damaged, reset, missed or given up): later sessions may go. */
    public void finished() {
        release();
        caughtUp();
    }

    /**
     * The replica has every byte of the session and answered as much as the primary did: later sessions may go
     * although the copy is not closed yet.
     */
    public void caughtUp() {
        finished = true;
        report();
    }

    private void report() {
        if (finished && endNumber > 0 && !reported) {
            reported = true;
            ledger.finished(endNumber);
        }
    }
}
