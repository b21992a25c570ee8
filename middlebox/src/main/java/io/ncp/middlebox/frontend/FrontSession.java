package io.ncp.middlebox.frontend;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.select.RequestAwareness;
import io.ncp.middlebox.ring.RingThrottle;
import io.ncp.middlebox.ring.SessionFeed;
import io.ncp.middlebox.service.PrimaryRole;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Front-side state of one client session; owned by the shard's front event loop (every method runs there; its
 * {@link SessionLink} hops there). What the replica side hears about the session goes
 * through its {@link SessionFeed} (SESSION_OPEN only once the primary connected). With failover, a {@link Carryover}
 * lets the session survive its primary.
 */
final class FrontSession {

    private static final Logger LOG = LoggerFactory.getLogger(FrontSession.class);

    final long id;
    final ServiceRuntime service;
    final Channel client;
    Channel primary;
    private final SessionFeed feed;
    boolean clientClosed;
    boolean primaryClosed;
    private boolean reset;
    /** Non-null for replicated sessions of lockstep services. */
    LockstepGate gate;
    /** The replicas this session is replicated to (empty when it is not). */
    private List<ReplicaTarget> replicas = List.of();
    /** Non-null for replicated sessions of a service with failover. */
    Carryover carry;
    /** Non-null for replicated sessions of a service with a framed protocol (redis, postgres, http). */
    private RequestFront resp;
    /** How the replica side and the failover reach this session (hops to its loop). */
    private final SessionLink link = new SessionLink(this);
    /** The primary's connection was given up for the promoted replica's copy. */
    boolean primaryDetached;
    /** The primary reset the connection while its end was held (a reset if no failover comes). */
    private boolean primaryResetHeld;
    /**
     * Client bytes read before the primary connected (epoll reads a client's data and FIN when it sees EPOLLRDHUP,
     * even with AUTO_READ off); owned here until {@link #primaryConnected} forwards them or {@link #dropEarly}.
     */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    /** The client's FIN arrived before the primary connected. */
    private boolean earlyFin;
    /** The primary never connected (or the client left before it did): client bytes have nowhere to go. */
    private boolean noPrimary;
    /** The client side's end (close or reset) was already scheduled. */
    boolean clientEnding;
    /** The service's failover epoch when this session's primary connected (0: the configured primary). */
    long epoch;
    /** Client bytes held while a resync takes its snapshot point. */
    private final HeldClientBytes held;
    /** {@code order: service}: the primary connection's place in the service's request order; else null. */
    private PrimaryLane ordered;

    /** {@code ringFull: throttle}: the shard's ring throttle; else null. */
    private final RingThrottle throttle;

    FrontSession(FrontShard shard, ServiceRuntime service, Channel client) {
        this.id = shard.newSessionId();
        this.feed = new SessionFeed(id, service, shard.ring());
        this.service = service;
        this.client = client;
        this.held = new HeldClientBytes(this);
        this.throttle = shard.ring().throttle();
    }

    /**
     * After a client read ({@code ringFull: throttle}): a replicated session stops reading its client while the
     * shard's ring is over half full, until the replica side drained it under a quarter.
     */
    void throttleClient() {
        if (throttle != null && replicas != null && !clientClosed && throttle.over()) {
            client.config().setAutoRead(false);
            service.stats().ringThrottled.increment();
            throttle.pause(this::resumeClient);
        }
    }

    /** The ring drained: reads again as the primary's back-pressure allows. */
    private void resumeClient() {
        if (!clientClosed) {
            client.config().setAutoRead(primary != null && primary.isWritable());
        }
    }

    SessionFeed feed() {
        return feed;
    }

    /** The primary of {@code view} connected: shows the session to the replicas (if the ring has room). */
    private void opened(Channel primaryChannel, PrimaryRole.View view) {
        this.primary = primaryChannel;
        this.epoch = view.epoch();
        service.stats().sessions.increment();
        if (service.config().serviceOrder()) {
            ordered = new PrimaryLane(service.primaryOrder(client.eventLoop()), this);
        }
        List<ReplicaTarget> targets = view.replicas();
        if (targets.isEmpty()) {
            return;
        }
        FailoverConfig failover = service.config().failover();
        boolean carries = failover != null && failover.promote();
        LockstepGate g = service.config().lockstep() ? new LockstepGate(this, client, targets) : null;
        if (feed.open(targets, g != null || carries ? link : null)) {
            gate = g;
            replicas = targets;
            carry = carries ? new Carryover(this, targets, failover) : null;
            if (carry != null) {
                feed.maskListener(carry::masked);
            }
            RequestAware aware = RequestAwareness.of(service.config());
            if (aware != null) {
                resp = new RequestFront(aware, service, id, feed, gate);
            }
        }
    }

    /**
     * Client bytes: replicated (a retained duplicate goes to the ring) and written to the primary, which then owns
     * {@code buf}; before the primary connected they are kept in order instead. Released when the primary is gone.
     * Once the promoted replica's copy carries the session they only go to the ring (the copy is the primary leg).
     */
    void clientBytes(ByteBuf buf) {
        if (held.holds(buf)) {
            return; // a resync's snapshot point: forwarded when the hold ends
        }
        if (primaryDetached) {
            service.stats().bytesIn.add(buf.readableBytes());
            feed.clientBytes(buf);
            return;
        }
        if (primary == null) {
            if (noPrimary) {
                buf.release(); // bytes read after the connect failed: the client is being closed
            } else {
                early.add(buf);
            }
            return;
        }
        if (!primary.isActive()) {
            buf.release(); // nowhere to go: the primary is gone (its close ends this session)
            return;
        }
        service.stats().bytesIn.add(buf.readableBytes());
        held.sent(buf);
        if (feed.wantsClientBytes()) {
            if (resp != null) {
                resp.clientBytes(buf);
                held.answeredAll(resp.answeredAll());
            } else {
                feed.clientBytes(buf.retainedDuplicate());
            }
        } else {
            held.answeredAll(false); // not framed: the requests are not counted
        }
        if (ordered != null) {
            ordered.clientBytes(buf); // complete requests go when their turn comes
            buf.release();
            return;
        }
        primary.write(buf, primary.voidPromise());
    }

    /** The client half-closed: the primary (and the replicas) get a FIN after the client's bytes. */
    void clientFinished() {
        if (held.holdsFin()) {
            return;
        }
        if (primaryDetached) {
            feed.clientFin();
            return;
        }
        if (primary == null) {
            earlyFin = true;
            return;
        }
        feed.clientFin();
        if (ordered != null) {
            Channel p = primary;
            ordered.whenWritten(() -> Channels.shutdownOutputAfterFlush(p)); // after the requests still queued
            return;
        }
        Channels.shutdownOutputAfterFlush(primary);
    }

    /**
     * The primary of {@code view} connected: opens the session, then forwards what the client sent meanwhile (and
     * its FIN). Returns false, and opens nothing, when a failover promoted another primary since {@code view} was
     * read (the caller connects again): a session never starts on a fenced primary, and one that starts is told of
     * every later failover (it is live before the epoch is checked).
     */
    boolean primaryConnected(Channel primaryChannel, PrimaryRole.View view) {
        service.sessionLive(link);
        long now = service.primary().epoch();
        if (now != view.epoch()) {
            epoch = now; // a failover's notice already on its way to this session is for a primary it never used
            return false;
        }
        opened(primaryChannel, view);
        while (!early.isEmpty()) {
            clientBytes(early.poll());
        }
        primary.flush();
        if (earlyFin) {
            clientFinished();
        }
        return true;
    }

    /** The primary never connected or the client left first: releases the bytes kept for it, and later ones. */
    void dropEarly() {
        noPrimary = primary == null && !primaryDetached;
        while (!early.isEmpty()) {
            early.poll().release();
        }
    }

    /**
     * Ends the client side once every answer byte already received from the primary went to the client (lockstep
     * may still hold some): a FIN-and-close, or a reset when the session ended by one. Idempotent. Bounded: a client
     * that stops reading is reset after {@link Channels#FLUSH_TIMEOUT_MILLIS}.
     */
    void endClient() {
        if (clientEnding) {
            return;
        }
        clientEnding = true;
        afterAnswers(() -> {
            if (reset) {
                Channels.resetOnFlush(client);
            } else {
                Channels.closeOnFlush(client);
            }
        });
    }

    /** Primary answer bytes on their way to the client: digested for comparison. Caller keeps buf. */
    void primaryAnswer(ByteBuf buf) {
        held.answered(buf);
        if (ordered != null) {
            ordered.answer(buf);
        }
        boolean digested = feed.digesting();
        feed.primaryAnswer(buf);
        if (resp != null) {
            resp.primaryAnswer(buf, digested);
            held.answeredAll(feed.wantsClientBytes() && resp.answeredAll());
        }
    }

    /** {@code buf} (borrowed) is about to be written to the client (directly, or released by the lockstep gate). */
    void delivered(ByteBuf buf) {
        if (carry != null) {
            carry.delivered(buf);
        }
    }

    /** The primary's answer stream ended (FIN, close or reset); idempotent. */
    void primaryEnded() {
        feed.primaryEnded();
        if (gate != null) {
            gate.primaryEnded();
        }
    }

    /** Reads the primary (or the copy that carries the session) while the client can take more. */
    void updatePrimaryRead() {
        Channel source = primary != null ? primary : carry != null ? carry.carrier() : null;
        if (source != null) {
            source.config().setAutoRead(client.isWritable() && (gate == null || !gate.holdingTooMuch()));
        }
    }

    /** Runs {@code action} once every primary answer byte went to the client (lockstep may still hold some). */
    void afterAnswers(Runnable action) {
        if (gate == null) {
            action.run();
        } else {
            gate.whenDrained(action);
        }
    }

    /** Lockstep: the replica at {@code position} held answers too long; tell the replica side to drop its copy. */
    void lockstepDrop(int position) {
        service.stats().lockstepDrops.increment();
        if (LogLimit.sparse(service.stats().lockstepDrops.sum())) {
            LOG.warn("{}: lockstep: replica {} held session {}'s answers too long; dropped from the session (total {})",
                service.name(), replicas.get(position).label(), id, service.stats().lockstepDrops.sum());
        }
        feed.lockstepDrop(position);
    }

    /** The client is gone: lockstep releases what it held. */
    void closeGate() {
        if (gate != null) {
            gate.close();
        }
    }

    void markReset() {
        if (!reset) {
            reset = true;
            service.stats().resets.increment();
        }
    }

    boolean isReset() {
        return reset;
    }

    void clientClosed() {
        if (!clientClosed) {
            clientClosed = true;
            held.drop();
            feed.clientClosed();
            if (primaryDetached) {
                feed.close(reset); // the copy carrying the session ends it with the client
            }
            maybeClose();
        }
    }

    void primaryClosed() {
        if (!primaryClosed) {
            primaryClosed = true;
            held.closed();
            if (ordered != null) {
                ordered.close();
            }
            primaryEnded();
            maybeClose();
        }
    }

    /** Whether the primary never connected (the session ends with the client alone). */
    void primaryNeverConnected() {
        primaryClosed();
    }

    private void maybeClose() {
        if (clientClosed && primaryClosed) {
            if (carry != null) {
                carry.close();
            }
            if (resp != null) {
                resp.close();
            }
            service.stats().active.decrement();
            service.sessionClosed();
            service.sessionGone(link);
            feed.close(reset);
        }
    }

    // --- failover -----------------------------------------------------------------------------------------------

    /**
     * Whether events of {@code ch} are to be ignored: it is a primary connection given up for a failover, or one
     * that connected to a primary fenced meanwhile.
     */
    boolean detached(Channel ch) {
        return ch != primary;
    }

    /**
     * The primary's connection ended ({@code fin}: its FIN only): true when the end is held for a possible failover
     * (the caller then does nothing more).
     */
    boolean holdPrimaryEnd(boolean fin) {
        return carry != null && carry.holdPrimaryEnd(fin);
    }

    /** The primary reset the connection: remembered while its end may be held, else the session is reset. */
    void primaryReset() {
        if (carry != null && !primaryDetached) {
            primaryResetHeld = true;
        } else {
            markReset();
        }
    }

    /** A held primary end turned out to be the session's end: passed on as it was. */
    void primaryEndReleased(boolean fin, boolean close) {
        if (primaryResetHeld) {
            markReset();
        }
        if (fin) {
            primaryEnded();
            afterAnswers(() -> Channels.shutdownOutputAfterFlush(client));
        }
        if (close || primaryResetHeld) {
            endClient();
            primaryClosed();
        }
    }

    /**
     * Gives the old primary's connection up for the promoted replica at {@code position}; returns the answer bytes
     * the client has (lockstep: what the gate released; what it held of the old primary is dropped).
     */
    long detachPrimary(int position) {
        primaryDetached = true;
        primaryResetHeld = false;
        if (ordered != null) {
            ordered.close(); // the promoted replica's copy carries the session from here (not sequenced)
            ordered = null;
        }
        Channel old = primary;
        primary = null;
        if (old != null) {
            old.close();
        }
        return gate != null ? gate.takeOver(position) : carry.clientSent();
    }

    /** Ends the session with a reset now (a failover that could not carry it). */
    void resetNow() {
        markReset();
        if (primary != null) {
            Channels.reset(primary); // its channelInactive resets the client after the answers it has
        } else {
            endClient();
            primaryClosed();
        }
    }


    /** New answer bytes of the promoted replica carrying this session, past what the client had (owned here). */
    void newPrimaryAnswer(ByteBuf answer) {
        if (!client.isActive() || clientEnding) {
            answer.release();
            return;
        }
        int n = answer.readableBytes();
        service.stats().bytesOut.add(n);
        service.firstAnswerAfterFailover(service.primary().epoch());
        if (gate != null) {
            gate.primaryAnswer(answer);
        } else {
            delivered(answer);
            client.write(answer, client.voidPromise());
        }
        client.flush();
        updatePrimaryRead();
    }

    /** The promoted replica carrying this session ended its answers: the session ends as it would with a primary. */
    void newPrimaryEnded(boolean wasReset) {
        if (wasReset) {
            markReset();
        }
        endClient();
        primaryClosed();
    }
}
