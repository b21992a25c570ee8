package io.ncp.middlebox.resync;

import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ServiceRuntime;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The snapshot point of one resync, across every shard: {@link #reach} holds the service's new client bytes at the
 * front ({@link io.ncp.middlebox.service.ClientHold}), makes sure every front loop has seen the hold (a task on each),
 * waits until nothing moved between the primary and the clients for {@code quiet}, then marks: once each shard's
 * replica side has consumed every event published before the hold, its copies to the replica start over as resync
 * copies (the snapshot holds what they had). {@link #release} lets the clients go on and returns the pause.
 *
 * <p>A MySQL/MariaDB service ({@code protocol: mysql}: a new connection starts with the greeting and the login) cannot
 * continue a session on a new connection, so its hold takes new sessions only
 * ({@link io.ncp.middlebox.service.ClientHold#hold(boolean)}) and the point is reached once every session that had
 * sent the primary bytes has closed: no session is open half done at the mark, the sessions held from their first
 * byte are recorded whole. A PostgreSQL service ({@link io.ncp.middlebox.config.ServiceConfig#postgresSessions})
 * also holds, and continues, sessions that are idle without server state ({@code ClientHold.hold(true, true)}): the
 * point waits for the others to become so (a transaction to end) or to close; once reached, each continued session
 * tells its replica side where it goes on ({@link io.ncp.middlebox.service.ClientHold#continueHere}, on its front
 * loop) before the mark. A session still open and not continuable at the deadline fails the resync, the reason
 * naming how many and why.
 * Resync thread only; every wait is bounded by the deadline given.
 */
final class SnapshotPoint {

    private static final long POLL_NANOS = 1_000_000;

    private final List<? extends ResyncShard> shards;
    private final ServiceRuntime service;
    private final ReplicaTarget target;
    private final ResyncProgress progress;
    private long holdStartNanos;
    /** When the hold was seen by every front loop, the primary was quiet, every shard marked (nanoTime; 0: not). */
    private long heldNanos;
    private long quietNanos;
    /** PostgreSQL: when the last session that had talked to the primary closed (0: not waited for). */
    private long endedNanos;
    private long markedNanos;
    /** The primary was found done by counting replies, not by waiting for quiet. */
    private boolean answered;
    private long takenNanos;
    private boolean holding;
    private int marked;
    /** PostgreSQL sessions continued over a new connection (written on the front loops' tasks, read after them). */
    private volatile int continued;

    SnapshotPoint(List<? extends ResyncShard> shards, ServiceRuntime service, ReplicaTarget target,
            ResyncProgress progress) {
        this.shards = shards;
        this.service = service;
        this.target = target;
        this.progress = progress;
    }

    /**
     * Holds the clients, waits for the primary to be quiet for {@code quietNanos} and marks every shard, all before
     * {@code deadlineNanos}. The clients stay held on return (call {@link #release}).
     *
     * @return null when reached, else why not
     */
    String reach(long quietNanos, long deadlineNanos) throws InterruptedException {
        holdStartNanos = System.nanoTime();
        holding = true;
        boolean drain = sessionsMustEnd();
        boolean continueIdle = service.config().postgresSessions();
        service.clientHold().hold(drain, continueIdle);
        long[] published = new long[shards.size()];
        for (int i = 0; i < shards.size(); i++) {
            ResyncShard s = shards.get(i);
            int at = i;
            Future<?> f = s.frontLoop().submit(() -> {
                published[at] = s.ring().published();
            });
            if (!await(f, deadlineNanos)) {
                return "front loop of shard " + i + " did not take the hold before maxPause";
            }
        }
        heldNanos = System.nanoTime();
        if (drain) {
            String d = sessionsEnded(deadlineNanos);
            if (d != null) {
                return d;
            }
        }
        String q = quiet(quietNanos, deadlineNanos);
        if (q != null) {
            return q;
        }
        this.quietNanos = System.nanoTime();
        if (continueIdle) {
            String c = continueIdleSessions(published, deadlineNanos);
            if (c != null) {
                return c;
            }
        }
        progress.startRecording();
        for (int i = 0; i < shards.size(); i++) {
            ResyncShard s = shards.get(i);
            while (s.ring().consumed() < published[i]) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    return "the replica side of shard " + i + " did not consume the bytes before the hold within "
                        + "maxPause";
                }
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            }
            Future<Integer> f = s.replicaLoop().submit(() -> s.replicaSide().resyncMark(target, progress));
            if (!await(f, deadlineNanos)) {
                return "the replica side of shard " + i + " did not mark the snapshot point within maxPause";
            }
            marked += f.getNow();
        }
        progress.markedEverywhere();
        markedNanos = System.nanoTime();
        return null;
    }

    /**
     * Whether sessions open at the snapshot point could not go on as resync copies: PostgreSQL, and MySQL/MariaDB
     * (a new connection starts with the server's greeting and the login; a session's later packets are no login).
     */
    private boolean sessionsMustEnd() {
        Protocol p = service.config().protocol();
        return p == Protocol.POSTGRES || p == Protocol.MYSQL
            || service.config().compare() == io.ncp.middlebox.config.CompareMode.POSTGRES;
    }

    /**
     * Waits until no open session has sent the primary bytes (new ones are held from their first byte), or, for
     * PostgreSQL, until each of those is continuable (idle without server state: held from now on) or closed.
     */
    private String sessionsEnded(long deadlineNanos) throws InterruptedException {
        while (true) {
            io.ncp.middlebox.service.ClientHold.Waiting open = service.clientHold().waiting();
            if (open.total() == 0) {
                endedNanos = System.nanoTime();
                return null;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                if (service.config().postgresSessions()) {
                    return open.total() + " PostgreSQL session(s) could not be continued at maxPause: "
                        + open.describe() + " (only a session idle without server state goes on over a new "
                        + "connection to the restored replica: recycle the pool's connections, or close these "
                        + "sessions, and resync again)";
                }
                return open.total() + " MySQL session(s) still open at maxPause (a session open at the snapshot "
                    + "point cannot be continued on the restored replica: the snapshot point waits for open sessions "
                    + "to end)";
            }
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        }
    }

    /**
     * PostgreSQL: on each front loop, every session held idle tells its replica side where it continues; then the
     * ring's sequence is taken again, so that the mark follows those announcements.
     */
    private String continueIdleSessions(long[] published, long deadlineNanos) throws InterruptedException {
        for (int i = 0; i < shards.size(); i++) {
            ResyncShard s = shards.get(i);
            int at = i;
            Future<?> f = s.frontLoop().submit(() -> {
                continued += service.clientHold().continueHere();
                published[at] = s.ring().published();
            });
            if (!await(f, deadlineNanos)) {
                return "front loop of shard " + i + " did not continue its idle sessions before maxPause";
            }
        }
        return null;
    }

    /** The snapshot hook succeeded (for the timeline). */
    void taken() {
        takenNanos = System.nanoTime();
    }

    /**
     * Where the pause went, for the log: hold taken, primary quiet (or every request answered), marked, snapshot taken
     * (ms from the hold).
     */
    String timeline() {
        return "hold taken " + since(heldNanos) + (endedNanos == 0 ? "" : ", open sessions ended or idle "
            + since(endedNanos)) + (answered ? ", every request answered " : ", primary quiet ") + since(quietNanos)
            + ", marked " + since(markedNanos) + ", snapshot taken " + since(takenNanos);
    }

    private String since(long at) {
        return at == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f ms", (at - holdStartNanos) / 1e6);
    }

    /** Copies that started over at the mark (sessions open or still delivering then). */
    int markedCopies() {
        return marked;
    }

    /** PostgreSQL sessions held idle at the point and continued over a new connection. */
    int continuedSessions() {
        return continued;
    }

    /**
     * Waits until every session that sent the primary bytes got answer bytes after them, and then nothing moved to or
     * from the primary for {@code quietNanos}: the primary answered what it was sent before the hold. Where the
     * protocol's framers count requests and replies (RESP outside pub/sub), the wait ends as soon as every session had
     * a reply to every request it sent ({@link io.ncp.middlebox.service.ClientHold#allAnswered}): no quiet needed.
     */
    private String quiet(long quietNanos, long deadlineNanos) throws InterruptedException {
        LongSupplier moved = () -> service.stats().bytesOut.sum() + service.stats().bytesIn.sum();
        // RESP: a reply ends only after its request was executed, and the framers count both
        boolean counted = service.config().protocol() == Protocol.REDIS;
        AtomicLong last = new AtomicLong(moved.getAsLong());
        long since = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long m = moved.getAsLong();
            int owed = service.clientHold().awaitingAnswers();
            if (owed == 0 && counted && service.clientHold().allAnswered()) {
                answered = true; // the framers counted a reply to every request: no need to wait for quiet
                progress.primaryDone(true);
                return null;
            }
            if (m != last.get() || owed > 0) {
                last.set(m);
                since = now;
            } else if (now - since >= quietNanos) {
                progress.primaryDone(false);
                return null;
            }
            if (now - deadlineNanos >= 0) {
                return owed > 0 ? owed + " session(s) still waited for the primary's answer at maxPause"
                    : "the primary was not quiet for " + TimeUnit.NANOSECONDS.toMillis(quietNanos) + " ms within "
                    + "maxPause (answers kept coming)";
            }
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        }
    }

    private static boolean await(Future<?> f, long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 && f.await(left, TimeUnit.NANOSECONDS) && f.isSuccess();
    }

    /** Releases the clients (idempotent); the pause they saw in milliseconds (0 when not holding). */
    long release() {
        if (!holding) {
            return 0;
        }
        holding = false;
        service.clientHold().release();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - holdStartNanos);
    }
}
