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
 * <p>A hold of <em>new sessions only</em> ({@link #hold(boolean)}) holds only sessions that had sent the primary
 * nothing yet: sessions already talking go on until they close ({@link #talking} counts them), so the snapshot point
 * can be a moment when no session is half done (MySQL/MariaDB, whose sessions cannot be continued on a new
 * connection). With {@code continueIdle} (PostgreSQL) a session that talked is held too once it is
 * {@link Tracked#continuable} (idle, no server state): it will go on over a new connection to the restored replica.
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

        /** Whether it has sent the primary any byte (read from any thread). */
        boolean talked();

        /**
         * Whether the primary has ended a reply to every request the session sent it, with no request partly sent, as
         * its protocol's framers count them (read from any thread); false when they cannot tell.
         */
        default boolean answeredAll() {
            return false;
        }

        /** Whether it could go on over a new connection now (idle, no server state; read from any thread). */
        default boolean continuable() {
            return false;
        }

        /** The server state that keeps it from going on over a new connection, or null (read from any thread). */
        default String serverState() {
            return null;
        }

        /**
         * When the calling thread owns the session and it is continuable: tells the replica side where it continues.
         *
         * @return true when it did
         */
        default boolean continueHere() {
            return false;
        }
    }

    /**
     * The open sessions a snapshot point waits for: {@code busy} ones (in a transaction or a request, or not idle
     * yet) and {@code stateful} ones by the state they hold (e.g. {@code named prepared statement}).
     */
    public record Waiting(int busy, java.util.SortedMap<String, Integer> stateful) {

        public int total() {
            return busy + stateful.values().stream().mapToInt(Integer::intValue).sum();
        }

        /**
         * e.g. {@code 2 session(s) hold server state (named prepared statement: 1, session SET: 1), 1 session(s)
         * still in a transaction or a request}.
         */
        public String describe() {
            StringBuilder b = new StringBuilder();
            int held = total() - busy;
            if (held > 0) {
                b.append(held).append(" session(s) hold server state (");
                String sep = "";
                for (java.util.Map.Entry<String, Integer> e : stateful.entrySet()) {
                    b.append(sep).append(e.getKey()).append(": ").append(e.getValue());
                    sep = ", ";
                }
                b.append(')');
            }
            if (busy > 0) {
                b.append(held > 0 ? ", " : "").append(busy).append(" session(s) still in a transaction or a request");
            }
            return b.toString();
        }
    }

    private final List<Held> held = new ArrayList<>();
    private final java.util.Set<Tracked> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean holding;
    private volatile boolean newOnly;
    private volatile boolean continueIdle;

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

    /**
     * Whether every open session that has sent the primary bytes is known to have had every request answered
     * ({@link Tracked#answeredAll}): then the primary is done with what it was sent, with no need to wait for quiet
     * (any thread; meaningful once every front loop has seen the hold).
     */
    public boolean allAnswered() {
        for (Tracked s : sessions) {
            if (s.talked() && !s.answeredAll()) {
                return false;
            }
        }
        return true;
    }

    /** How many open sessions have sent the primary bytes (any thread). */
    public int talking() {
        int n = 0;
        for (Tracked s : sessions) {
            if (s.talked()) {
                n++;
            }
        }
        return n;
    }

    /**
     * The sessions that sent the primary bytes and cannot go on over a new connection now (all of them unless the
     * hold continues idle sessions); any thread.
     */
    public Waiting waiting() {
        int busy = 0;
        java.util.SortedMap<String, Integer> stateful = new java.util.TreeMap<>();
        for (Tracked s : sessions) {
            if (!s.talked() || continueIdle && s.continuable()) {
                continue;
            }
            String why = s.serverState();
            if (why == null) {
                busy++;
            } else {
                stateful.merge(why, 1, Integer::sum);
            }
        }
        return new Waiting(busy, stateful);
    }

    /**
     * On a front loop: every session it owns that is held idle tells the replica side where it continues.
     *
     * @return how many did
     */
    public int continueHere() {
        int n = 0;
        for (Tracked s : sessions) {
            if (s.continueHere()) {
                n++;
            }
        }
        return n;
    }

    /** Whether a hold is on (of every session or of new ones only). */
    public boolean held() {
        return holding;
    }

    /** Whether the new client bytes of a session are to be held now ({@code talked}: it has sent the primary bytes). */
    public boolean holds(boolean talked) {
        return holds(talked, false);
    }

    /** {@link #holds(boolean)}, and {@code continuable}: the session could go on over a new connection now. */
    public boolean holds(boolean talked, boolean continuable) {
        return holding && (!(talked && newOnly) || continuable && continueIdle);
    }

    /** Starts holding every session (the resync thread). */
    public synchronized void hold() {
        hold(false);
    }

    /**
     * Starts holding (the resync thread).
     *
     * @param newSessionsOnly hold only sessions that have not sent the primary anything yet; the others go on
     */
    public synchronized void hold(boolean newSessionsOnly) {
        hold(newSessionsOnly, false);
    }

    /**
     * Starts holding (the resync thread).
     *
     * @param newSessionsOnly hold only sessions that have not sent the primary anything yet; the others go on
     * @param continuable     and those that talked but are {@link Tracked#continuable} (they go on over a new
     *                        connection)
     */
    public synchronized void hold(boolean newSessionsOnly, boolean continuable) {
        newOnly = newSessionsOnly;
        continueIdle = continuable;
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
