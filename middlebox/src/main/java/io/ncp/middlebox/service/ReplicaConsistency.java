package io.ncp.middlebox.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a replica's state may be relied on (the second axis, apart from {@link BackendHealth}): {@code IN_SYNC}
 * (it holds every client byte of every session since it joined, in order), {@code CATCHING_UP} (it will, once its
 * journal is drained), {@code STALE} (it missed bytes: a copy dropped, damaged or given up, a lockstep ejection, a
 * refused connection after which it may have restarted empty, a divergence). Only an IN_SYNC replica is promoted,
 * counts as in sync anywhere, or gates lockstep answers. STALE is left only by an explicit action
 * ({@link #readmit}: the operator resynced it; {@link #resyncStarted}: an online resync, {@code RESYNCING} until it
 * ends IN_SYNC or STALE again). Every transition is logged once, counted and kept in a short history.
 *
 * <p>Thread-safe: transitions under the monitor (rare), reads volatile (per session and per answer).
 */
public final class ReplicaConsistency {

    /** The states. */
    public enum State {
        IN_SYNC, CATCHING_UP, STALE,
        /** An online resync is loading the primary's snapshot into it and replaying its journal: never in sync. */
        RESYNCING
    }

    /** One change, for the history. */
    public record Transition(long atMillis, State to, String reason) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaConsistency.class);
    private static final int HISTORY = 16;

    private final String label;
    private final LongAdder transitions = new LongAdder();
    private final ArrayDeque<Transition> history = new ArrayDeque<>();
    private volatile State state;
    private volatile String reason;
    private volatile long sinceMillis;
    /** Copies catching up from the journal now (under the monitor). */
    private int catchingUp;
    /** Time spent not IN_SYNC before the current state (millis); under the monitor. */
    private long notInSyncBefore;
    /** The resync under way or the last one (null before the first). */
    private volatile ResyncProgress resync;
    /** Told of every transition, under the monitor (it must only hand the news on), or null. */
    private volatile Runnable onChange;

    /**
     * @param label   names the replica in log lines (e.g. {@code redis: replica 10.0.1.3:6379})
     * @param initial the state at join
     * @param why     why it starts so
     */
    public ReplicaConsistency(String label, State initial, String why) {
        this.label = label;
        this.state = initial;
        this.reason = why;
        this.sinceMillis = System.currentTimeMillis();
        history.add(new Transition(sinceMillis, initial, why));
    }

    public State state() {
        return state;
    }

    /** Whether it holds every byte: may be promoted, gates lockstep answers. */
    public boolean inSync() {
        return state == State.IN_SYNC;
    }

    public String reason() {
        return reason;
    }

    public long sinceMillis() {
        return sinceMillis;
    }

    /** Transitions so far (the join not counted). */
    public long transitions() {
        return transitions.sum();
    }

    /**
     * Tells {@code listener} of every later transition (one listener; null: none). It runs under this object's
     * monitor on the thread that made the transition, so it must only hand the news on (e.g. queue a task).
     */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** The last transitions, oldest first (the join included). */
    public synchronized List<Transition> history() {
        return new ArrayList<>(history);
    }

    /**
     * The replica missed bytes ({@code why}): STALE, unless it already is.
     *
     * @return true when this call made it STALE
     */
    public boolean stale(String why) {
        synchronized (this) {
            if (state == State.STALE) {
                return false;
            }
            if (state == State.RESYNCING && !resync.marked()) {
                LOG.debug("{}: being resynced, before its snapshot point: {}", label, why);
                return false; // its bytes so far are replaced by the snapshot
            }
            change(State.STALE, state == State.RESYNCING ? "resync failed: " + why : why);
        }
        LOG.warn("{}: STALE: {} (it stays STALE until it is resynced and readmitted)", label, why);
        return true;
    }

    /**
     * A copy of this replica started spilling to the catch-up journal: an IN_SYNC replica is CATCHING_UP until every
     * such copy has drained (a STALE one stays STALE).
     */
    public void catchUpStarted(String why) {
        boolean changed;
        synchronized (this) {
            catchingUp++;
            changed = state == State.IN_SYNC;
            if (changed) {
                change(State.CATCHING_UP, why);
            }
        }
        if (changed) {
            LOG.info("{}: CATCHING_UP: {}", label, why);
        }
    }

    /** A copy that spilled has drained its journal (or ended): the last one makes a CATCHING_UP replica IN_SYNC. */
    public void catchUpEnded() {
        boolean changed;
        synchronized (this) {
            catchingUp = Math.max(0, catchingUp - 1);
            changed = catchingUp == 0 && state == State.CATCHING_UP;
            if (changed) {
                change(State.IN_SYNC, "caught up from the catch-up journal");
            }
        }
        if (changed) {
            LOG.info("{}: IN_SYNC again (caught up from the catch-up journal)", label);
        }
    }

    /**
     * An operator's explicit action: the replica was resynced ({@code why}) and holds the primary's state again.
     *
     * @return the state it left
     */
    public State readmit(String why) {
        State before;
        synchronized (this) {
            before = state;
            change(State.IN_SYNC, "readmitted: " + why);
        }
        LOG.warn("{}: IN_SYNC (readmitted from {}: {})", label, before, why);
        return before;
    }

    /**
     * An online resync starts ({@code p}): a STALE replica (any state when {@code force}) becomes RESYNCING.
     *
     * @return null when it started, else why not (a resync is already under way, or the replica is not STALE)
     */
    public String resyncStarted(ResyncProgress p, boolean force) {
        synchronized (this) {
            if (state == State.RESYNCING) {
                return "a resync is already under way (since " + java.time.Instant.ofEpochMilli(sinceMillis) + ")";
            }
            if (state != State.STALE && !force) {
                return "it is " + state + ", not STALE (use force to resync it anyway)";
            }
            resync = p;
            change(State.RESYNCING, "resync started from " + state + " (" + p.trigger() + ")");
        }
        LOG.warn("{}: RESYNCING ({})", label, p.trigger());
        return null;
    }

    /** The resync drained its journal into the replica: IN_SYNC (false when it is no longer RESYNCING). */
    public boolean resynced(String why) {
        synchronized (this) {
            if (state != State.RESYNCING) {
                return false;
            }
            change(State.IN_SYNC, why);
        }
        LOG.warn("{}: IN_SYNC ({})", label, why);
        return true;
    }

    /** The resync failed ({@code why}): STALE with the reason, unless it already left RESYNCING. */
    public boolean resyncFailed(String why) {
        synchronized (this) {
            if (state != State.RESYNCING) {
                return false;
            }
            change(State.STALE, "resync failed: " + why);
        }
        LOG.warn("{}: STALE: resync failed: {}", label, why);
        return true;
    }

    /** The resync under way or the last one, or null. */
    public ResyncProgress resync() {
        return resync;
    }

    /** Whether a resync is under way ({@link State#RESYNCING}). */
    public boolean resyncing() {
        return state == State.RESYNCING;
    }

    /** Milliseconds spent STALE, CATCHING_UP or RESYNCING since it joined (the current spell included). */
    public synchronized long notInSyncMillis() {
        return notInSyncBefore + (state == State.IN_SYNC ? 0 : Math.max(0, System.currentTimeMillis() - sinceMillis));
    }

    private void change(State to, String why) {
        if (state != State.IN_SYNC) {
            notInSyncBefore += Math.max(0, System.currentTimeMillis() - sinceMillis);
        }
        state = to;
        reason = why;
        sinceMillis = System.currentTimeMillis();
        transitions.increment();
        history.add(new Transition(sinceMillis, to, why));
        while (history.size() > HISTORY) {
            history.poll();
        }
        Runnable listener = onChange;
        if (listener != null) {
            listener.run();
        }
    }
}
