package io.ncp.middlebox.replica;

import io.ncp.middlebox.auth.AuthFilters;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.RequestNamer;
import io.ncp.middlebox.proto.select.RequestAwareness;
import io.ncp.middlebox.ring.AnswerProgress;
import io.ncp.middlebox.ring.FrontLink;
import io.ncp.middlebox.ring.SessionOpen;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ServiceRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The replica side of one session: one {@link ReplicaCopy} per replica plus what the front told about the
 * primary's answers. Owned by the replica side's event loop. Removed from its {@link ReplicaSide} once the front
 * closed the session and every copy is done.
 */
final class ReplicaSession {

    /** How long a copy may stay open after the front closed the session (twice, once its backlog is flushed). */
    static final long GRACE_MILLIS = 5_000;

    final long id;
    final ServiceRuntime service;
    final ReplicaSide side;
    /** Where the front hears from the copies (lockstep progress, failover); null otherwise. */
    final FrontLink link;
    /** Lockstep sessions: where answer progress is reported (the link); else null. */
    final AnswerProgress progress;
    private final ReplicaCopy[] copies;
    /** Request-aware sessions: names of the recent requests (to report a divergence with its request); else null. */
    private final RequestNamer names;
    private int live;
    private boolean frontClosed;
    private boolean primaryEnded;
    private long primaryTotal;
    private int primaryPartial;
    /** The primary's first answer bytes (up to Divergence.HEAD), or null when they did not come. */
    private byte[] primaryHead;
    /** The session's end number at the front (0 until it ended). */
    private long endNumber;
    /** The client's FIN arrived. */
    private boolean clientFin;
    /** Client bytes arrived (a resync's point must then continue the session, or it cannot take it over). */
    private boolean sawData;
    /** Where a resync's point continues the session over a new connection (PostgreSQL), or null. */
    private Continuation continuation;
    /** Request-aware (framed) answers: a continued copy cannot resume their per-exchange comparison. */
    private final boolean framed;

    ReplicaSession(long id, SessionOpen open, ReplicaSide side) {
        this.id = id;
        this.service = open.service();
        this.side = side;
        this.link = open.link();
        this.progress = open.link();
        List<ReplicaTarget> targets = open.replicas();
        this.copies = new ReplicaCopy[targets.size()];
        RequestAware aware = RequestAwareness.of(service.config());
        this.names = aware != null ? aware.names() : null;
        this.framed = aware != null;
        boolean compare = service.config().compare() != CompareMode.NONE;
        for (int i = 0; i < copies.length; i++) {
            // a framed protocol: replies are framed after the replica's AuthHandler swallowed its authentication phase
            AnswerFilter filter = aware != null ? aware.replicaAnswers()
                : AuthFilters.replica(service.config().compare(), service.config().protocol());
            ResyncProgress r = side.spills == null ? null : targets.get(i).consistency().resync();
            copies[i] = new ReplicaCopy(this, targets.get(i), i, filter, compare && filter != null,
                r != null && r.recording() ? r : null); // a whole session recorded for a resync is compared too
        }
        this.live = copies.length;
    }

    /**
     * Starts every copy.
     *
     * @param after sessions ended before this one opened: each copy holds its client bytes until those finished on
     *              its replica (0 = no wait)
     */
    void open(long after) {
        long now = System.nanoTime();
        // order: service writes every request once the earlier ones were consumed: session order holds without a wait
        long wait = service.config().serviceOrder() ? 0 : after;
        for (ReplicaCopy c : copies) {
            c.start(now, wait);
        }
    }

    /** The session ended at the front with end number {@code number}: each copy reports it once finished. */
    void ended(long number) {
        endNumber = number;
        for (ReplicaCopy c : copies) {
            c.ended(number);
        }
    }

    /** Client bytes; takes ownership of {@code buf} (each copy retains its own duplicate, then buf is released). */
    void data(ByteBuf buf) {
        sawData = true;
        continuation = null; // told for an earlier snapshot point that did not mark: the session went on since
        try {
            if (names != null) {
                names.feed(buf);
            }
            for (ReplicaCopy c : copies) {
                c.send(buf);
            }
        } finally {
            buf.release();
        }
    }

    /**
     * A resync's snapshot point will continue this session over a new connection: its StartupMessage followed by the
     * session SETs to replay as simple Queries ({@code login}, borrowed: copied) and where the primary's answer digest
     * stands ({@code answerOffset}, -1: not compared).
     */
    void continueAt(ByteBuf login, long answerOffset, int partialCrc) {
        int startupLength = login.readableBytes() >= 4 ? login.getInt(login.readerIndex()) : 0;
        if (startupLength < 8 || startupLength > login.readableBytes()) {
            return; // not a login the tracker made: the session is not continued (the mark fails the resync)
        }
        byte[] startup = ByteBufUtil.getBytes(login, login.readerIndex(), startupLength);
        byte[] sets = ByteBufUtil.getBytes(login, login.readerIndex() + startupLength,
            login.readableBytes() - startupLength);
        continuation = new Continuation(startup, sets, answerOffset, partialCrc);
    }

    /** Client bytes were lost before reaching this side ({@code why}): every copy is damaged and closed. */
    void damaged(String why) {
        for (ReplicaCopy c : copies) {
            c.damage(why);
        }
    }

    /** Failover: the copy at {@code position} carries the session, its answers from offset {@code from} on. */
    void takeover(int position, long from) {
        if (link != null && position >= 0 && position < copies.length) {
            copies[position].takeover(from);
        } else if (link != null) {
            link.notCarried("no copy at position " + position);
        }
    }

    void answersReleased(long offset) {
        for (ReplicaCopy c : copies) {
            c.answersReleased(offset);
        }
    }

    /** Lockstep: the copy at {@code position} (in the session's replica list) held the answers too long. */
    void lockstepDrop(int position) {
        if (position >= 0 && position < copies.length) {
            copies[position].lockstepDrop();
        }
    }

    /** Request-aware sessions: replayed request {@code ordinal} has exchange bits {@code exchange}. */
    void expect(long ordinal, int exchange) {
        for (ReplicaCopy c : copies) {
            c.expect(ordinal, exchange);
        }
    }

    /** Request-aware sessions: the session is no longer replicated; every copy closes, uncompared. */
    void unreplicated() {
        for (ReplicaCopy c : copies) {
            c.unreplicated();
        }
    }

    void clientFin() {
        clientFin = true;
        for (ReplicaCopy c : copies) {
            c.clientFin();
        }
    }

    void primaryBlock(int crc) {
        for (ReplicaCopy c : copies) {
            c.primaryBlock(crc);
        }
    }

    /** The primary's first answer bytes (borrowed: copied). */
    void primaryHead(ByteBuf head) {
        primaryHead = ByteBufUtil.getBytes(head);
    }

    /** The command of replayed request {@code number}, or null when not known (not request-aware, or too old). */
    String requestName(long number) {
        return names == null ? null : names.name(number);
    }

    byte[] primaryHead() {
        return primaryHead;
    }

    void primaryEnd(long total, int partialCrc) {
        primaryEnded = true;
        primaryTotal = total;
        primaryPartial = partialCrc;
        for (ReplicaCopy c : copies) {
            c.tryFinish();
        }
    }

    /** The session ended at the front (FIN or reset: each copy ends with a FIN after every byte). */
    void closedAtFront() {
        frontClosed = true;
        for (ReplicaCopy c : copies) {
            c.frontClosed();
        }
        if (live == 0) {
            side.remove(this);
        } else {
            scheduleGrace();
        }
    }

    private void scheduleGrace() {
        side.loop().schedule(this::grace, GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void grace() {
        boolean again = false;
        for (ReplicaCopy c : copies) {
            again |= c.graceExpired();
        }
        if (again) {
            scheduleGrace();
        }
    }

    void copyDone() {
        live--;
        if (live == 0 && frontClosed) {
            side.remove(this);
        }
    }

    /**
     * A resync's snapshot point for {@code target}: the copy to it (older bytes, replaced by the snapshot) is reset
     * without a word, and while the session is still open at the front a resync copy takes over, recording its bytes
     * from here on (not compared: it starts mid-session). A PostgreSQL session the point continues
     * ({@link #continueAt}) records its StartupMessage first and is compared from the point on (with byte replay; a
     * {@code protocol: postgres} service's, request-aware, goes on uncompared); one that talked and
     * was not continued cannot go on over a new connection: the resync fails (unless its primary already ended it:
     * then it gets no copy).
     */
    int resyncMark(ReplicaTarget target, ResyncProgress resync) {
        int n = 0;
        for (int i = 0; i < copies.length; i++) {
            ReplicaCopy old = copies[i];
            if (old.target() != target || old.resyncCopy()) {
                continue;
            }
            old.supersede();
            n++;
            if (frontClosed) {
                continue;
            }
            Continuation k = continuation;
            if (k == null && sawData && service.config().postgresSessions()) {
                if (primaryEnded) {
                    continue; // the primary ended it (the client's close is on its way): nothing to go on with
                }
                resync.fail("session " + id + " was open at the snapshot point and cannot be continued over a new "
                    + "connection (its client bytes were lost, or the ring had no room to say where it continues)");
            }
            // compared from the point on with byte replay; a request-aware service's copy goes on uncompared (its
            // framing and request numbers cannot be resumed mid-session)
            AnswerFilter f = k != null && k.compared() && !framed
                ? AuthFilters.continued(service.config().compare(), service.config().protocol()) : null;
            ReplicaCopy c = new ReplicaCopy(this, target, i, f, f != null, resync, k);
            copies[i] = c;
            live++;
            c.start(System.nanoTime(), 0);
            if (k != null) {
                ByteBuf startup = io.netty.buffer.Unpooled.wrappedBuffer(k.startup());
                try {
                    c.send(startup); // the new connection's login, recorded ahead of the client's next bytes
                } finally {
                    startup.release();
                }
            }
            if (endNumber > 0) {
                c.ended(endNumber);
            }
            if (clientFin) {
                c.clientFin();
            }
        }
        return n;
    }

    void refreshLag(long nowNanos, long stallNanos) {
        for (ReplicaCopy c : copies) {
            c.refreshLag(nowNanos, stallNanos);
        }
    }

    /** Middlebox shutdown: drops every copy (connections reset, queued bytes released). */
    /** The replicas this session is copied to. */
    List<ReplicaTarget> targets() {
        List<ReplicaTarget> list = new java.util.ArrayList<>(copies.length);
        for (ReplicaCopy c : copies) {
            list.add(c.target());
        }
        return list;
    }

    void abort() {
        frontClosed = true;
        for (ReplicaCopy c : copies) {
            c.abort();
        }
    }

    boolean frontClosed() {
        return frontClosed;
    }

    boolean primaryEnded() {
        return primaryEnded;
    }

    long primaryTotal() {
        return primaryTotal;
    }

    int primaryPartial() {
        return primaryPartial;
    }
}
