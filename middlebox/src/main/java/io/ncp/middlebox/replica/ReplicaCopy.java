package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.order.CopyOrder;
import io.ncp.middlebox.replica.catchup.CopySpill;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.tls.ServiceTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's copy of one session: its connection and the bytes not yet on it. Owned by the replica side's event
 * loop (every method runs there).
 *
 * <p>Bytes are sent in order while the copy is healthy; before the connection is up (or while session order or the
 * PostgreSQL startup gate holds them) they wait in {@link HeldBytes} (retained duplicates owned by this copy). A copy
 * that can no longer deliver every byte in order (backlog or memory overflow, a replica that stopped reading, a lost
 * connection, a ring gap, a lockstep ejection) is damaged: its connection is reset, it stops for good (nothing is
 * replayed across a hole) and the replica becomes STALE ({@link CopyOutcomes}). A replica that closes or resets its
 * connection when every byte so far was delivered loses nothing unless more bytes come. Answers are counted and
 * compared as they arrive ({@link CopyAnswers}); session order is {@link CopyOrder}'s.
 *
 * <p>A resync copy ({@link ResyncProgress}) records every byte in the catch-up journal and connects only when the
 * resync replays: then it drains the journal like a catching-up copy and goes on live; it counts as drained only once
 * the replica accepted its login. One that continues a PostgreSQL session ({@link Continuation}) has the session's
 * StartupMessage first in its journal, logs in through the PostgreSQL handler whatever the service's protocol, replays
 * the session's SETs there (it counts as logged in only once the replica answered them) and compares its answers from
 * the snapshot point on.
 */
final class ReplicaCopy implements ResyncProgress.Copy {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCopy.class);
    /** Spilled bytes are read back while fewer than this wait on the connection. */
    private static final long DRAIN_BELOW = 1L << 20;
    /**
     * At most this many spilled records are read back per round, so that a journal of many small records (a resync's
     * replay) does not keep the loop from its other channels; the next round follows the round's write.
     */
    private static final int DRAIN_RECORDS = 64;

    private final ReplicaSession session;
    private final ReplicaTarget target;
    private final ReplicaStats stats;
    private final long backlogLimit;
    private final CopyAnswers answers;
    private final CopyOutcomes outcomes;
    private final CopyStream stream;
    private final CopyOrder order;
    private long accountedBacklog;
    private boolean finRequested;
    private boolean answersEnded;
    private boolean damaged;
    private boolean done;
    private boolean dirty;
    private boolean graceUsed;
    /** Connected, but the replica's authentication is still under way: client bytes are held in its handler. */
    private boolean authPending;
    /** When the connection that authenticates was established (the authentication's stall clock). */
    private long authStartNanos;
    /** Failover services: what a takeover needs; null otherwise. */
    private final CopyCarrier carrier;
    /** Bytes that could not wait in memory, in order (null without a catch-up journal). */
    private final CopySpill spill;
    /** Stream offset of the next client byte of this copy. */
    private long offset;
    private boolean spilling;
    private boolean draining;
    /** The resync this copy records for, until it drained (null otherwise). */
    private ResyncProgress resync;
    /** The resync whose replay queue this copy is in (kept after it drained; null for an ordinary copy). */
    private ResyncProgress queuedIn;
    /** A resync copy before the resync replays: every byte goes to the journal, no connection yet. */
    private boolean recording;
    /** {@link #start}'s session-order argument, for a resync copy's later connect. */
    private long startAfter;
    /** A resync copy passes the replay's turn on once the replica was quiet this long after its replay. */
    private static final long TURN_QUIET_NANOS = 20_000_000;
    private static final long TURN_MAX_NANOS = 1_000_000_000;
    private long drainedNanos;
    private long lastAnswerNanos;
    /** {@code order: service}: this copy's place in the replica's request order; else null. */
    private final CopyLane lane;
    /** The FIN waits for the lane's queued requests ({@code finReady} once they were written). */
    private boolean finQueued;
    private boolean finReady;
    /** The replica could not be reached (not refused): the copy journals and retries (catch-up journal only). */
    private CopyOutage outage;
    /** A PostgreSQL session continued over a new connection by a resync (its journal starts with the login); null. */
    private final Continuation continued;

    /**
     * An ordinary copy.
     *
     * @param position the copy's place in the session's replica list (how lockstep progress names it)
     * @param filter   the answer filter (null: none)
     * @param compared whether answers are compared with the primary's (else only framed, for lockstep progress)
     */
    ReplicaCopy(ReplicaSession session, ReplicaTarget target, int position, AnswerFilter filter, boolean compared) {
        this(session, target, position, filter, compared, null);
    }

    /**
     * @param resync non-null: a resync copy recording for it (needs the catch-up journal: the caller checks
     *               {@code session.side.spills})
     */
    ReplicaCopy(ReplicaSession session, ReplicaTarget target, int position, AnswerFilter filter, boolean compared,
            ResyncProgress resync) {
        this(session, target, position, filter, compared, resync, null);
    }

    /**
     * @param continued non-null: a resync copy that continues a PostgreSQL session over a new connection (it logs in
     *                  with the replica's own credentials through the PostgreSQL handler; its answers are compared
     *                  from the snapshot point on when {@code compared})
     */
    ReplicaCopy(ReplicaSession session, ReplicaTarget target, int position, AnswerFilter filter, boolean compared,
            ResyncProgress resync, Continuation continued) {
        this.session = session;
        this.continued = continued;
        this.target = target;
        this.stats = target.stats();
        this.backlogLimit = session.service.config().replicaBacklog();
        this.answers = new CopyAnswers(filter, compared, session.progress, position);
        if (continued != null && continued.compared()) {
            answers.resumeAt(continued.answerOffset(), continued.partialCrc());
        }
        this.outcomes = new CopyOutcomes(session.service.name(), target, session.id);
        this.stream = new CopyStream(new HeldBytes(session.service.config().compare() == CompareMode.POSTGRES
            && session.service.config().protocol() != Protocol.POSTGRES ? new PostgresStartupGate() : null));
        this.order = new CopyOrder(target.finishes(), stats);
        this.carrier = CopyCarrier.of(session.link, session.service.config().failover() != null);
        this.spill = session.side.spills == null ? null
            : new CopySpill(session.side.spills.of(session.service.name(), target), session.id);
        if (resync != null && spill != null) {
            this.resync = resync;
            this.queuedIn = resync;
            this.recording = true;
            resync.joined();
        }
        // a resync's recording copy is not sequenced: it has no connection until its journal is replayed
        this.lane = session.service.config().serviceOrder() && !recording
            ? new CopyLane(session.side.orderGate(target, session.service.name()), this, stream) : null;
    }

    /** Whether this is a resync copy that has not drained its journal yet. */
    boolean resyncCopy() {
        return resync != null;
    }

    ReplicaTarget target() {
        return target;
    }

    /**
     * Connects. While the replica is down and in its retry backoff, a copy with a catch-up journal journals from its
     * first byte and connects once the backoff allows ({@link CopyOutage}); without a journal it skips the replica
     * (missed, so it is STALE).
     *
     * @param after sessions ended before this one opened, to wait for on this replica before sending (0 = none)
     */
    void start(long nowNanos, long after) {
        if (recording) {
            startAfter = after;
            resync.await(this, session.side.loop());
            return;
        }
        boolean down = !target.health().shouldAttempt(nowNanos);
        if (down && spill == null) {
            outcomes.missed();
            finish();
            return;
        }
        order.holdUntil(after, nowNanos, session.side.loop(), this::predecessorsFinished);
        if (down) {
            unreachable(nowNanos, "replica down (" + target.health().reason() + ")");
            return;
        }
        connect();
    }

    /** Opens the connection to the replica (a first attempt, or a retry after an outage). */
    private void connect() {
        ReplicaSide side = session.side;
        io.netty.channel.ChannelHandler handler = continued != null
            ? CopyAuth.continuedPipeline(this, target, session.service.name(), continued.sets(),
                new ReplicaAnswerHandler(this))
            : CopyAuth.pipeline(this, target, session.service.name(), protocol(), new ReplicaAnswerHandler(this));
        ChannelFuture f = ServiceTls.connect(session.service.tls(), side.connector().connect(side.loop(),
            target.config(), handler), target.config().address());
        stream.connecting(f.channel());
        f.addListener((ChannelFuture cf) -> onConnect(cf));
    }

    /**
     * The protocol of the copy's authentication: the service's, but PostgreSQL for a continued session (its journal
     * starts with the StartupMessage, whose answers are swallowed up to ReadyForQuery even with byte replay).
     */
    private Protocol protocol() {
        return continued != null ? Protocol.POSTGRES : session.service.config().protocol();
    }

    /** The resync replays: connect, drain what was recorded, go on live. */
    @Override
    public void replay() {
        ResyncProgress r = queuedIn;
        if (!recording || done) {
            if (r != null) {
                r.turnDone(this);
            }
            return;
        }
        recording = false;
        ReplicaSide side = session.side;
        order.holdUntil(startAfter, System.nanoTime(), side.loop(), this::predecessorsFinished);
        if (order.holding()) {
            r.turnDone(this); // it waits for an earlier session to finish: the next one may go meanwhile
        }
        connect(); // with the service's TLS and the replica's own authentication, like any copy
    }

    /** The resync failed: what was recorded is dropped, the copy ends (the replica is STALE already). */
    @Override
    public void abandon(String why) {
        if (resync != null && !done) {
            resync = null;
            recording = false;
            damaged = true;
            finish();
        }
    }

    private void onConnect(ChannelFuture f) {
        if (done) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            String why = outcomes.connectFailed(f.cause());
            if (spill != null && resync == null && !Channels.isRefusal(f.cause())) {
                unreachable(System.nanoTime(), why); // journal and retry; refused: it may have restarted empty
            } else {
                damage(why);
            }
            return;
        }
        boolean afterOutage = outage != null;
        outage = null;
        stream.connected();
        authPending = CopyAuth.authenticates(protocol());
        authStartNanos = System.nanoTime();
        if (!authPending) {
            target.health().connected(); // else once the replica accepted the credentials
        }
        stats.sessions.increment();
        pump();
        stream.flush();
        resyncDrained();
        if (afterOutage && spilling && !spill.active() && !done) { // nothing was journaled during the outage
            spilling = false;
            target.consistency().catchUpEnded();
        }
    }

    /**
     * The replica cannot be reached now ({@code why}) but did not refuse: the copy journals its bytes from here on
     * (the replica is CATCHING_UP) and tries again once its health's backoff allows, until the replica timeout for
     * the whole outage ({@link CopyOutage}).
     */
    private void unreachable(long nowNanos, String why) {
        if (outage == null) {
            outage = new CopyOutage(nowNanos, session.side.replicaTimeoutNanos(), why);
            if (!spilling) {
                spilling = true;
                outcomes.unreachable(why, spill.file().path().toString());
            }
        } else {
            outage.failedAgain(why);
        }
        session.side.loop().schedule(this::retry, CopyOutage.RETRY_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** An outage's retry: gives up past the replica timeout, waits for the health's backoff, else connects. */
    private void retry() {
        if (done || outage == null) {
            return;
        }
        long now = System.nanoTime();
        if (outage.expired(now)) {
            damage(outage.gaveUp(now));
        } else if (!target.health().shouldAttempt(now)) {
            session.side.loop().schedule(this::retry, CopyOutage.RETRY_MILLIS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            connect();
        }
    }

    /**
     * A resync copy that is connected and logged in with nothing left in its journal has drained: it is an ordinary
     * copy now (a replica that refuses the login fails the resync instead).
     */
    private void resyncDrained() {
        if (resync != null && !recording && stream.isConnected() && !authPending && !spill.active()) {
            ResyncProgress r = resync;
            resync = null;
            r.drained();
            drainedNanos = System.nanoTime();
            passTurnWhenAnswered(r);
        }
    }

    /**
     * Passes the replay's turn on once the replica has taken and answered what was replayed: nothing left on the
     * connection and no answer byte for {@link #TURN_QUIET_NANOS} (the next session's bytes must not overtake them on
     * the replica), or after {@link #TURN_MAX_NANOS} at most (a busy long-lived session does not hold the others).
     */
    private void passTurnWhenAnswered(ResyncProgress r) {
        long now = System.nanoTime();
        if (done || now - drainedNanos >= TURN_MAX_NANOS || stream.pending() == 0
                && now - Math.max(lastAnswerNanos, drainedNanos) >= TURN_QUIET_NANOS) {
            r.turnDone(this);
            return;
        }
        session.side.loop().schedule(() -> passTurnWhenAnswered(r), 5, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Writes queued bytes as far as the startup gate allows (all of them without a gate), then the FIN if one was
     * requested and nothing is held back any more.
     */
    private void pump() {
        if (!stream.isConnected() || done || order.holding() || !stream.open()) {
            return;
        }
        boolean empty = stream.drain();
        markDirty();
        if (empty && spill != null && spill.active()) {
            drainSpill();
            return;
        }
        if (finRequested && empty) {
            stream.shutdownOutput();
        }
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            session.side.markDirty(this);
        }
    }

    /**
     * Sends the readable bytes of {@code buf} (borrowed: this copy retains its own duplicate); under
     * {@code order: service} through the replica's request order first.
     */
    void send(ByteBuf buf) {
        if (done || finRequested) {
            return;
        }
        if (lane != null && !lane.writing) {
            lane.clientBytes(buf);
            return;
        }
        int n = buf.readableBytes();
        if (!stream.open()) {
            damage(outcomes.lost("the replica closed its connection"));
            return;
        }
        if (answersEnded && !session.primaryEnded()) { // its FIN: a server that closed resets what comes after
            damage(outcomes.lost("the replica ended its connection while the primary's went on"));
            return;
        }
        if (recording || outage != null || spill != null && spill.active()) {
            spill(buf); // behind what is spilled already: order first (a resync copy records everything, a copy
                        // whose replica is unreachable journals everything)
            return;
        }
        long pending = pendingBytes() + n;
        boolean overBacklog = pending > backlogLimit;
        if (overBacklog || pending > n && session.side.memory.exhausted()) {
            if (spill == null) {
                damage(outcomes.lagging(overBacklog, backlogLimit, session.side.memory.limit()));
                return;
            }
            if (!spilling) {
                spilling = true;
                outcomes.spilling(overBacklog, backlogLimit, session.side.memory.limit(), spill.file().path()
                    .toString());
            }
            spill(buf);
            return;
        }
        stats.bytesSent.add(n);
        offset += n;
        stream.add(buf.retainedDuplicate(), order.holding());
        pump();
        markDirty();
    }

    /** Appends {@code buf} (borrowed) to the catch-up journal; a full journal or a disk error drops the copy. */
    private void spill(ByteBuf buf) {
        try {
            spill.append(buf, offset);
        } catch (java.io.IOException e) {
            damage(outcomes.journalFailed(e));
            return;
        }
        int n = buf.readableBytes();
        offset += n;
        stats.bytesSent.add(n);
        if (resync != null) {
            resync.journaled(n);
        } else {
            stats.spilledBytes.add(n);
        }
    }

    /**
     * Writes spilled bytes back, at most {@link #DRAIN_RECORDS} records per round, while the connection has less than
     * {@link #DRAIN_BELOW} waiting; the next round follows the round's writes. When the journal is empty the copy is
     * live again (and sends its FIN if one waits).
     */
    private void drainSpill() {
        if (draining || done || !spill.active() || !stream.isConnected() || order.holding() || !stream.open()
                || !stream.drain()) {
            return; // (nothing left: an earlier round ended the catch-up and sent the FIN if one waits; held bytes
                    // go first; PostgreSQL: as far as its startup gate allows)
        }
        draining = true;
        try {
            for (int i = 0; i < DRAIN_RECORDS && spill.active() && stream.pending() < DRAIN_BELOW; i++) {
                ByteBuf b = spill.next();
                if (resync != null) {
                    resync.replayed(b.readableBytes());
                }
                stream.add(b, false);
            }
            stream.drain();
        } catch (java.io.IOException e) {
            damage(outcomes.journalFailed(e));
            return;
        } finally {
            draining = false;
        }
        if (spill.active() && stream.pending() < DRAIN_BELOW) { // the round's record bound: yield to the loop
            stream.flush();
            session.side.loop().execute(this::drainSpill);
            return;
        }
        if (spill.active()) {
            stream.channel().writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (f.isSuccess()) {
                    drainSpill();
                }
            });
            return;
        }
        stream.flush();
        if (spilling) {
            spilling = false;
            target.consistency().catchUpEnded();
        }
        resyncDrained();
        if (finRequested && stream.held().isEmpty()) { // else (PostgreSQL: the startup gate holds the rest until the
            stream.shutdownOutput();                     // replica answered) pump() sends the FIN after them
        }
    }

    /** The sessions this one waited for have finished on the replica: its held bytes may go. */
    private void predecessorsFinished() {
        if (order.release() && !done) {
            pump();
            flush();
        }
    }

    /** The session ended at the front with end {@code number}: reported to the replica's ledger once finished. */
    void ended(long number) {
        order.ended(number);
    }

    /** Flushes what {@link #send} wrote during the current ring batch. */
    void flush() {
        dirty = false;
        if (!done) {
            stream.flush();
        }
    }

    long pendingBytes() {
        return stream.pending() + (spill == null ? 0 : spill.bytes());
    }

    /**
     * Updates this copy's share of the replica's backlog gauge, and drops the copy when the replica has taken none of
     * the bytes written to its connection for {@code stallNanos} (a replica that stopped reading: zero window) or has
     * not completed its authentication within {@code stallNanos} of the connect (the bytes held for it never left).
     */
    void refreshLag(long nowNanos, long stallNanos) {
        updateGauge();
        if (!done && authPending && nowNanos - authStartNanos >= stallNanos) {
            damage(outcomes.authStalled(stallNanos));
            return;
        }
        if (spill != null) {
            if (spill.active()) {
                drainSpill(); // a replica that stopped reading fills the journal, not memory
            }
            return;
        }
        long waiting = done ? -1 : stream.stalled(nowNanos, stallNanos);
        if (waiting >= 0) {
            damage(outcomes.stalled(stallNanos, waiting));
        }
    }

    private void updateGauge() {
        long p = done ? 0 : pendingBytes();
        if (p != accountedBacklog) {
            stats.backlogBytes.add(p - accountedBacklog);
            accountedBacklog = p;
        }
    }

    void clientFin() {
        if (done || finRequested) {
            return;
        }
        if (lane != null && !finReady) {
            if (!finQueued) {
                finQueued = true;
                lane.whenWritten(() -> { // after the requests still waiting for their turn
                    finReady = true;
                    clientFin();
                });
            }
            return;
        }
        finRequested = true;
        stream.held().openUp();
        pump();
        checkCaughtUp();
    }

    /**
     * Session order: once the replica has every byte (FIN requested, nothing pending) and answered as much as the
     * primary (compared services only), sessions waiting for this one may go before the replica closes.
     */
    private void checkCaughtUp() {
        if (finRequested && !done && answers.compared() && session.primaryEnded()
                && answers.comparedBytes() >= session.primaryTotal() && pendingBytes() == 0) {
            order.caughtUp();
        }
    }

    void answer(ByteBuf buf) {
        stats.bytesAnswered.add(buf.readableBytes());
        if (lane != null) {
            lane.answer(buf);
        }
        lastAnswerNanos = System.nanoTime();
        if (carrier != null) {
            carrier.answer(buf);
        }
        if (!done) {
            if (answers.replicaAnswer(buf)) {
                diverged();
            }
            checkCaughtUp();
        }
        if (buf.isReadable()) {
            stream.held().replicaAnswered();
            if (!stream.held().isEmpty()) {
                pump();
                flush();
            }
        }
    }

    private void diverged() {
        io.ncp.middlebox.digest.Divergence d = answers.divergence(session);
        outcomes.diverged(d, answers.request(d, session));
    }

    void primaryBlock(int crc) {
        if (!done && answers.primaryBlock(crc)) {
            diverged();
        }
    }

    void answersEnded() {
        answersEnded = true;
        endCarrier(false);
        reportEnded();
        tryFinish();
    }

    void channelClosed() {
        answersEnded = true;
        endCarrier(false);
        reportEnded();
        if (!done && stream.isConnected() && pendingBytes() == 0) {
            stream.closedByReplica(); // every byte so far was delivered: only further bytes would be missed
            answers.gone();
        }
        tryFinish();
    }

    void failed(Throwable cause) {
        if (done) {
            return;
        }
        if (Channels.isClosed(cause)) { // bytes written after the replica closed its connection
            damage(outcomes.lost("written after the replica closed it"));
            return;
        }
        if (!Channels.isPeerFailure(cause)) {
            LOG.error("{}: replica {} handler error", session.service.name(), target.label(), cause);
            damage("handler error: " + cause);
            return;
        }
        // reset by the replica: not marked down (it answered; a dead replica is found by probes and connects; iperf3
        // replicas reset their data streams at test end). Nothing is missed unless bytes were or are still to be sent.
        stats.lost.increment();
        endCarrier(true);
        if (pendingBytes() > 0) {
            damage(outcomes.lost(cause.getMessage()));
        } else {
            stream.closedByReplica();
            answers.gone();
        }
    }

    /**
     * The front side closed the session, by a FIN or a reset: either way the replica gets every byte of it, then a
     * FIN (the primary got the same: a reset would let the replica's kernel drop what it had not read yet, the
     * replica then holding less than the primary).
     */
    void frontClosed() {
        if (done) {
            return;
        }
        clientFin();
        tryFinish();
    }

    /** Request-aware sessions: replayed request {@code ordinal} has exchange bits {@code exchange}. */
    void expect(long ordinal, int exchange) {
        if (!done) {
            answers.expect(ordinal, exchange);
        }
    }

    /**
     * The session is no longer replicated (a request that must not reach the replicas, e.g. SYNC or MONITOR, ends
     * it): the copy closes its connection after what was already sent, uncompared (counted so), not damaged.
     */
    void unreplicated() {
        if (!done && answers.compared()) {
            stats.uncompared.increment();
        }
        finish();
    }

    /**
     * Middlebox shutdown, after the stop gave the copies time to end (the replica's end of the connection confirms
     * that it read every byte): resets the connection at once. A copy that wrote bytes and had not ended makes its
     * replica STALE: bytes queued here, or still in a socket buffer, may never reach it, and nothing tells which did
     * (kept for the next run by {@code catchup.ConsistencyFiles}). A copy that never wrote a byte misses nothing.
     */
    void abort() {
        if (done) {
            return;
        }
        long left = pendingBytes();
        if (left > 0 || stream.written() > 0) {
            target.consistency().stale(left > 0 ? "the middlebox stopped with " + left + " byte(s) of session "
                + session.id + " not yet taken by it" : "the middlebox stopped before its copy of session "
                + session.id + " ended: what its socket still held may never have reached it");
        }
        damaged = true; // no flush: the connection is reset at once
        finish();
    }

    /**
     * A resync's snapshot point replaces this copy (its bytes are in the snapshot): reset at once, counted as
     * uncompared when it compared, never making the replica STALE.
     */
    void supersede() {
        if (!done) {
            if (answers.compared()) {
                stats.uncompared.increment();
            }
            damaged = true;
            finish();
        }
    }

    /** Both answer streams ended and the front is done: compare and finish. */
    void tryFinish() {
        checkCaughtUp();
        if (done || !session.frontClosed() || !answersEnded) {
            return;
        }
        if (answers.compared() && !session.primaryEnded()) {
            stats.uncompared.increment();
        } else if (answers.compared()) {
            if (answers.finish(session.primaryTotal(), session.primaryPartial())) {
                diverged();
            }
            stats.compared.increment();
        }
        finish();
    }

    /**
     * The session has been closed on the front for a while and this copy is still open.
     *
     * @return true to be asked again later
     */
    boolean graceExpired() {
        if (done) {
            return false;
        }
        if (recording || outage != null) {
            return true; // a resync copy waits for the restore with its journal, a copy in an outage for its replica
        }
        if (stream.isConnected() && !authPending && stream.open() && pendingBytes() > 0) {
            return true; // still draining (a replica that stopped reading is dropped by refreshLag)
        }
        if (!stream.isConnected() || authPending) {
            // its bytes have not reached the replica yet: closing would drop them. Bounded by the connect timeout
            // and, for the authentication, by the replica timeout (refreshLag)
            return true;
        }
        if (lane != null && lane.waiting() > 0) {
            return true; // requests wait for their turn (each wait is bounded by the order gate)
        }
        if (!graceUsed) {
            graceUsed = true;
            return true;
        }
        LOG.debug("{}: replica {} kept session {} open after the primary ended; closing", session.service.name(),
            target.label(), session.id);
        if (answers.compared()) {
            stats.uncompared.increment();
        }
        finish();
        return false;
    }

    /** The copy lost bytes ({@code why}): counted, the replica STALE, its connection reset, what it holds released. */
    void damage(String why) {
        if (done) {
            return;
        }
        damaged = true;
        outcomes.damaged(why);
        finish();
    }

    /** Lockstep: this replica held the client's answers too long. */
    void lockstepDrop() {
        if (!done) {
            damage(outcomes.ejected());
        }
    }

    boolean isDamaged() {
        return damaged;
    }

    /** The replica accepted the credentials: the client bytes held meanwhile are on their way. */
    void authenticated() {
        authPending = false;
        if (!draining && !done) {
            resyncDrained();
        }
    }

    boolean isDone() {
        return done;
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (carrier != null) {
            carrier.close(damaged);
        }
        if (resync != null) { // ended before it drained
            ResyncProgress r = resync;
            resync = null;
            long left = spill.bytes();
            if (damaged || left > 0) {
                r.fail("the copy of session " + session.id + " ended before its journal was replayed ("
                    + (damaged ? "damaged" : left + " bytes left") + ")");
            }
            r.drained();
            r.turnDone(this);
        }
        if (spill != null) {
            try {
                spill.discard();
            } catch (java.io.IOException e) {
                LOG.warn("{}: replica {}: catch-up journal: {}", session.service.name(), target.label(), e.toString());
            }
            if (spilling) {
                spilling = false;
                target.consistency().catchUpEnded();
            }
        }
        order.finished();
        if (lane != null) {
            lane.close();
        }
        stream.end(false, damaged);
        updateGauge();
        answers.gone();
        stats.finished.increment();
        session.copyDone();
    }

    /**
     * Failover: this copy's replica was promoted. From now on its answers from stream offset {@code from} (the last
     * offset the front reported as received by the client) go to the front, which checks them against what the client
     * already got and forwards the rest; the copy's end is the session's. Refused (the front resets the session) when
     * the copy is gone, diverged, or no longer has the answers from {@code from} on.
     */
    void takeover(long from) {
        String refusal = done ? "its copy had ended" : answers.diverged() ? "its answers had diverged"
            : carrier == null ? "the service has no failover" : carrier.takeover(from, answers.answered(),
            stream.channel());
        if (refusal != null) {
            session.link.notCarried(refusal);
        } else if (answersEnded) {
            endCarrier(!stream.open());
        }
    }

    /** The client has {@code offset} answer bytes: what this copy kept below it is dropped. */
    void answersReleased(long offset) {
        if (carrier != null) {
            carrier.released(offset);
        }
    }

    private void endCarrier(boolean reset) {
        if (carrier != null) {
            carrier.end(reset);
        }
    }

    private void reportEnded() {
        if (session.link != null && (carrier == null || !carrier.carrying())) {
            session.link.replicaEnded(answers.position());
        }
    }
}
