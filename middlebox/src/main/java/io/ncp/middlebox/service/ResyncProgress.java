package io.ncp.middlebox.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One online resync of one replica, as the replica side sees it and as {@code /stats} shows it. The resync's own
 * thread moves it through its phases; the replica loops add their resync copies (every session's bytes from the
 * snapshot point on, recorded in the catch-up journal), which wait for {@link #startReplay} (or {@link #fail}) and
 * report when they have drained. They replay one after the other, in the order they were created (the mark, then
 * the order sessions opened in): the next starts once the one before drained its journal (or ended, or waits for
 * an earlier session to finish), so a client's sequential sessions reach the replica in their order.
 *
 * <p>Thread-safe: phases and the waiting copies under the monitor, counters lock-free, reads volatile.
 */
public final class ResyncProgress {

    /** Where a resync is. */
    public enum Phase {
        /** Client bytes held; waiting for the primary to be quiet. */
        HOLDING,
        /** The snapshot hook runs on the primary (clients still held). */
        SNAPSHOT,
        /** Clients released; the restore hook loads the snapshot into the replica while the journal records. */
        RESTORING,
        /** The journal is replayed into the replica. */
        REPLAYING,
        /** Ended IN_SYNC. */
        DONE,
        /** Ended STALE ({@link #failure}). */
        FAILED
    }

    /** A resync copy (replica loop): told on its loop when to replay its journal, or to give it up. */
    public interface Copy {

        /** Connect to the replica and replay the recorded bytes, then go on live. */
        void replay();

        /** The resync failed ({@code why}): drop what was recorded. */
        void abandon(String why);
    }

    private record Waiting(Copy copy, Executor loop) {
    }

    private final String trigger;
    private final long startedAtMillis = System.currentTimeMillis();
    private final LongAdder journalBytes = new LongAdder();
    private final LongAdder replayedBytes = new LongAdder();
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.ArrayDeque<Waiting> waiting = new java.util.ArrayDeque<>();
    /** The copy replaying now (under the monitor), or null. */
    private Copy current;
    private volatile Phase phase = Phase.HOLDING;
    private volatile boolean recording;
    private volatile boolean marked;
    private volatile long pauseMillis = -1;
    private volatile String primaryDoneBy;
    private volatile int continuedSessions;
    private volatile long endedAtMillis;
    private volatile String failure;

    /** @param trigger who asked (e.g. {@code admin API}, {@code autoResync: answers diverged ...}) */
    public ResyncProgress(String trigger) {
        this.trigger = trigger;
    }

    public String trigger() {
        return trigger;
    }

    public Phase phase() {
        return phase;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** The pause the clients saw at the snapshot point (hold to release), or -1 before it is known. */
    public long pauseMillis() {
        return pauseMillis;
    }

    /** PostgreSQL sessions held idle at the snapshot point and continued over a new connection to the replica. */
    public int continuedSessions() {
        return continuedSessions;
    }

    /** Resync thread: {@code n} sessions were continued at the snapshot point. */
    public void continued(int n) {
        continuedSessions = n;
    }

    public long journalBytes() {
        return journalBytes.sum();
    }

    public long replayedBytes() {
        return replayedBytes.sum();
    }

    /** Resync copies that have not drained their journal yet. */
    public int pendingCopies() {
        return pending.get();
    }

    /** When it ended (DONE or FAILED), or 0. */
    public long endedAtMillis() {
        return endedAtMillis;
    }

    /** Why it failed, or null. */
    public String failure() {
        return failure;
    }

    /**
     * Whether a session opening now gets a resync copy: from the marking of the snapshot point until the replay has no
     * copy left to replay.
     */
    public boolean recording() {
        return recording;
    }

    /** Whether every shard took the snapshot point: from then on a copy's failure fails the resync. */
    public boolean marked() {
        return marked;
    }

    /** Resync thread: phase {@code p}. */
    public synchronized void phase(Phase p) {
        if (phase != Phase.FAILED && phase != Phase.DONE) {
            phase = p;
        }
    }

    /** Resync thread: sessions opening from now on record their bytes (call before marking the shards). */
    public void startRecording() {
        recording = true;
    }

    /** Resync thread: every shard has marked the snapshot point. */
    public void markedEverywhere() {
        marked = true;
    }

    /**
     * Resync thread: the primary was found done with what it had been sent ({@code answers}: every request of every
     * session was answered, as the protocol's framers count them; else nothing moved for {@code quiet}).
     */
    public void primaryDone(boolean answers) {
        primaryDoneBy = answers ? "every request answered" : "quiet";
    }

    /** How the snapshot point knew the primary was done: {@code every request answered}, {@code quiet}, or null. */
    public String primaryDoneBy() {
        return primaryDoneBy;
    }

    /** Resync thread: the pause the clients saw. */
    public void paused(long millis) {
        pauseMillis = millis;
    }

    /** Replica loop: a resync copy was created (it reports {@link #drained} or fails the resync). */
    public void joined() {
        pending.incrementAndGet();
    }

    /** Replica loop: {@code copy} waits on {@code loop} for the replay (told at once when it already started). */
    public void await(Copy copy, Executor loop) {
        Phase p;
        synchronized (this) {
            p = phase;
            if (p != Phase.DONE && p != Phase.FAILED) {
                waiting.add(new Waiting(copy, loop));
                if (p == Phase.REPLAYING && current == null) {
                    next();
                }
                return;
            }
        }
        String why = failure;
        loop.execute(p == Phase.FAILED ? () -> copy.abandon(why) : copy::replay);
    }

    /**
     * Replica loop: {@code copy} has had its turn (drained its journal, ended, or waits for an earlier session to
     * finish): the next waiting copy replays. Ignored when it is not the one replaying.
     */
    public synchronized void turnDone(Copy copy) {
        if (current == copy) {
            current = null;
            next();
        }
    }

    /**
     * Under the monitor: the next waiting copy replays. When none is left during the replay, sessions that open from
     * now on get ordinary copies (until then they queue up too, so none overtakes a session still replaying).
     */
    private void next() {
        Waiting w = waiting.poll();
        if (w != null) {
            current = w.copy();
            w.loop().execute(w.copy()::replay);
        } else if (phase == Phase.REPLAYING) {
            recording = false;
        }
    }

    /** Replica loop: bytes recorded in the journal. */
    public void journaled(long n) {
        journalBytes.add(n);
    }

    /** Replica loop: journal bytes written back to the replica. */
    public void replayed(long n) {
        replayedBytes.add(n);
    }

    /** Replica loop: a resync copy has replayed everything it recorded and is live (or ended cleanly). */
    public void drained() {
        pending.decrementAndGet();
    }

    /** Resync thread: the restore is done; every waiting copy replays its journal. */
    public synchronized void startReplay() {
        if (phase == Phase.FAILED || phase == Phase.DONE) {
            return;
        }
        phase = Phase.REPLAYING;
        if (current == null) {
            next();
        }
    }

    /** Resync thread: ended IN_SYNC. */
    public synchronized void done() {
        if (phase != Phase.FAILED) {
            phase = Phase.DONE;
            endedAtMillis = System.currentTimeMillis();
        }
    }

    /**
     * The resync failed ({@code why}; any thread): waiting copies drop what they recorded. The first failure wins.
     *
     * @return true when this call failed it
     */
    public boolean fail(String why) {
        List<Waiting> drop;
        synchronized (this) {
            if (phase == Phase.FAILED || phase == Phase.DONE) {
                return false;
            }
            phase = Phase.FAILED;
            failure = why;
            recording = false;
            endedAtMillis = System.currentTimeMillis();
            drop = new ArrayList<>(waiting);
            waiting.clear();
            current = null;
        }
        for (Waiting w : drop) {
            w.loop().execute(() -> w.copy().abandon(why));
        }
        return true;
    }

    /** Whether it ended (DONE or FAILED). */
    public boolean over() {
        Phase p = phase;
        return p == Phase.DONE || p == Phase.FAILED;
    }
}
