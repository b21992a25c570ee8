package io.ncp.middlebox.frontend;

import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.ring.SessionFeed;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Front-side state of one client session; owned by the shard's front event loop (every method runs there). What the
 * replica side hears about the session goes through its {@link SessionFeed} (SESSION_OPEN only once the primary
 * connected).
 */
final class FrontSession {

    private static final Logger LOG = LoggerFactory.getLogger(FrontSession.class);

    final long id;
    final ServiceRuntime service;
    final Channel client;
    Channel primary;
    private final SessionFeed feed;
    private boolean clientClosed;
    private boolean primaryClosed;
    private boolean reset;
    /** Non-null for replicated sessions of lockstep services. */
    LockstepGate gate;
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
    private boolean clientEnding;

    FrontSession(FrontShard shard, ServiceRuntime service, Channel client) {
        this.id = shard.newSessionId();
        this.feed = new SessionFeed(id, service, shard.ring());
        this.service = service;
        this.client = client;
    }

    /** The primary connected: shows the session to the replicas (if the ring has room). */
    private void opened(Channel primaryChannel) {
        this.primary = primaryChannel;
        service.stats().sessions.increment();
        if (service.replicas().isEmpty()) {
            return;
        }
        LockstepGate g = service.config().lockstep() ? new LockstepGate(this, client, service.replicas()) : null;
        if (feed.open(g)) {
            gate = g;
        }
    }

    /**
     * Client bytes: replicated (a retained duplicate goes to the ring) and written to the primary, which then owns
     * {@code buf}; before the primary connected they are kept in order instead. Released when the primary is gone.
     */
    void clientBytes(ByteBuf buf) {
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
        if (feed.wantsClientBytes()) {
            feed.clientBytes(buf.retainedDuplicate());
        }
        primary.write(buf, primary.voidPromise());
    }

    /** The client half-closed: the primary (and the replicas) get a FIN after the client's bytes. */
    void clientFinished() {
        if (primary == null) {
            earlyFin = true;
            return;
        }
        feed.clientFin();
        Channels.shutdownOutputAfterFlush(primary);
    }

    /** The primary connected: opens the session, then forwards what the client sent meanwhile (and its FIN). */
    void primaryConnected(Channel primaryChannel) {
        opened(primaryChannel);
        while (!early.isEmpty()) {
            clientBytes(early.poll());
        }
        primary.flush();
        if (earlyFin) {
            clientFinished();
        }
    }

    /** The primary never connected or the client left first: releases the bytes kept for it, and later ones. */
    void dropEarly() {
        noPrimary = primary == null;
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
        feed.primaryAnswer(buf);
    }

    /** The primary's answer stream ended (FIN, close or reset); idempotent. */
    void primaryEnded() {
        feed.primaryEnded();
    }

    /** Reads the primary while the client can take more and (lockstep) not too much is held back. */
    void updatePrimaryRead() {
        if (primary != null) {
            primary.config().setAutoRead(client.isWritable() && (gate == null || !gate.holdingTooMuch()));
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

    /** Lockstep: replica {@code index} held answers too long; tell the replica side to drop its copy. */
    void lockstepDrop(int index) {
        service.stats().lockstepDrops.increment();
        if (LogLimit.sparse(service.stats().lockstepDrops.sum())) {
            LOG.warn("{}: lockstep: replica {} held session {}'s answers too long; dropped from the session (total {})",
                service.name(), service.replicas().get(index).label(), id, service.stats().lockstepDrops.sum());
        }
        feed.lockstepDrop(index);
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
            feed.clientClosed();
            maybeClose();
        }
    }

    void primaryClosed() {
        if (!primaryClosed) {
            primaryClosed = true;
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
            service.stats().active.decrement();
            service.sessionClosed();
            feed.close(reset);
        }
    }
}
