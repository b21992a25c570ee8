package io.ncp.middlebox.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Holds a service's new client bytes at the front (the snapshot point of an online resync): while {@link #held()},
 * every session keeps the bytes it reads, stops reading and registers here; {@link #release} has each registered
 * session forward them on its own loop, in order. Neither the primary nor the replicas see a held byte before the
 * release.
 *
 * <p>Thread-safe: the flag is volatile (read per client read on the front loops), registration and release under the
 * monitor, so a session registering while the hold ends is released at once.
 */
public final class ClientHold {

    private record Held(Runnable release, Executor loop) {
    }

    /** A session that may owe the primary an answer. */
    public interface Tracked {

        /** Whether bytes went to the primary after the last answer byte it sent back (read from any thread). */
        boolean awaitingAnswer();
    }

    private final List<Held> held = new ArrayList<>();
    private final java.util.Set<Tracked> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean holding;

    /** A session of the service opened (front loop). */
    public void track(Tracked s) {
        sessions.add(s);
    }

    /** It closed. */
    public void untrack(Tracked s) {
        sessions.remove(s);
    }

    /** How many open sessions sent the primary bytes it has not answered yet (any thread). */
    public int awaitingAnswers() {
        int n = 0;
        for (Tracked s : sessions) {
            if (s.awaitingAnswer()) {
                n++;
            }
        }
        return n;
    }

    /** Whether new client bytes are to be held now. */
    public boolean held() {
        return holding;
    }

    /** Starts holding (the resync thread). */
    public synchronized void hold() {
        holding = true;
    }

    /**
     * A session holds bytes: {@code release} runs on {@code loop} when the hold ends (at once if it already has).
     *
     * @return true when registered, false when the hold had ended (release was scheduled already)
     */
    public boolean register(Runnable release, Executor loop) {
        synchronized (this) {
            if (holding) {
                held.add(new Held(release, loop));
                return true;
            }
        }
        loop.execute(release);
        return false;
    }

    /**
     * Ends the hold: every session that held bytes forwards them on its loop.
     *
     * @return how many sessions held bytes
     */
    public int release() {
        List<Held> go;
        synchronized (this) {
            holding = false;
            go = new ArrayList<>(held);
            held.clear();
        }
        for (Held h : go) {
            h.loop().execute(h.release());
        }
        return go.size();
    }
}
