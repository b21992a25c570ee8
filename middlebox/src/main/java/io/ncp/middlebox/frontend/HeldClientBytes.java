package io.ncp.middlebox.frontend;

import io.ncp.middlebox.pgsession.PgSessionTracker;
import io.ncp.middlebox.service.ClientHold;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * One session's client bytes held at the front while its service's {@link ClientHold} holds (a resync's snapshot
 * point): they are kept in order (with the client's FIN, if it comes), the client is not read meanwhile, and when the
 * hold ends they go on through {@link FrontSession#clientBytes} as if just read. Owns the buffers it keeps. Front
 * loop only. A client that closes its connection during the hold loses what it sent in it: neither the primary nor
 * the replicas get it.
 *
 * <p>For a PostgreSQL service with a resync section, a {@link PgSessionTracker} follows the session's messages (the
 * bytes sent to the primary and its answers), so that a hold can also take a session that talked once it is idle
 * without server state, and continue it over a new connection ({@link #continueHere}).
 */
final class HeldClientBytes implements ClientHold.Tracked {

    private final FrontSession session;
    private final ClientHold hold;
    private final ArrayDeque<ByteBuf> bytes = new ArrayDeque<>();
    private boolean fin;
    private boolean registered;
    private boolean releasing;
    /** Bytes went to the primary after its last answer byte (written on the front loop, read by a resync). */
    private volatile boolean sentAfterAnswer;
    /** Bytes went to the primary at all (a hold of new sessions only lets this session go on). */
    private volatile boolean talked;
    /** Every request sent was answered, as the session's framers count them (front loop writes, a resync reads). */
    private volatile boolean answeredAll;
    /** PostgreSQL sessions of a service that can be resynced: whether it is idle and stateless; else null. */
    private final PgSessionTracker pg;

    HeldClientBytes(FrontSession session) {
        this.session = session;
        this.hold = session.service.clientHold();
        this.pg = session.service.config().postgresSessions() && session.service.config().resync() != null
            ? new PgSessionTracker() : null;
        hold.track(this);
    }

    @Override
    public boolean continuable() {
        return pg != null && pg.continuable();
    }

    @Override
    public String serverState() {
        return pg == null ? null : pg.state();
    }

    /**
     * On the resync thread's task on a front loop: when this loop owns the session and it is held idle without server
     * state, its feed tells the replica side where it continues (its StartupMessage with the session SETs to replay,
     * and the primary's answer digest).
     */
    @Override
    public boolean continueHere() {
        if (pg == null || !session.client.eventLoop().inEventLoop() || !talked || session.clientClosed
                || session.primaryClosed || !pg.continuable()) {
            return false;
        }
        return session.feed().continueAt(pg.login());
    }

    @Override
    public boolean awaitingAnswer() {
        return sentAfterAnswer;
    }

    @Override
    public boolean talked() {
        return talked;
    }

    @Override
    public boolean answeredAll() {
        return answeredAll;
    }

    /** What the session's framers say after the latest client or primary bytes (front loop). */
    void answeredAll(boolean all) {
        if (answeredAll != all) {
            answeredAll = all;
        }
    }

    /** Client bytes ({@code buf}, borrowed) go on to the primary now (front loop). */
    void sent(ByteBuf buf) {
        if (pg != null) {
            pg.client(buf);
        }
        if (!sentAfterAnswer) {
            sentAfterAnswer = true;
        }
        if (!talked) {
            talked = true;
        }
    }

    /** Answer bytes ({@code buf}, borrowed) came from the primary (front loop). */
    void answered(ByteBuf buf) {
        if (pg != null) {
            pg.server(buf);
        }
        if (sentAfterAnswer) {
            sentAfterAnswer = false;
        }
    }

    /** The session closed, or its primary did: it owes nothing any more. */
    void closed() {
        sentAfterAnswer = false;
        hold.untrack(this);
    }

    /** Keeps {@code buf} (taking ownership) when the hold is on or bytes are still held; false: send it on. */
    boolean holds(ByteBuf buf) {
        if (releasing || bytes.isEmpty() && !fin && !hold.holds(talked, continuable())) {
            return false;
        }
        bytes.add(buf);
        stopReading();
        return true;
    }

    /** Keeps the client's FIN behind the held bytes; false: pass it on now. */
    boolean holdsFin() {
        if (releasing || bytes.isEmpty() && !hold.holds(talked, continuable())) {
            return false;
        }
        fin = true;
        stopReading();
        return true;
    }

    private void stopReading() {
        Channel client = session.client;
        client.config().setAutoRead(false);
        if (!registered) {
            registered = true;
            hold.register(this::release, client.eventLoop());
        }
    }

    /** The hold ended: what was held goes on in order, then reading resumes (as back-pressure allows). */
    private void release() {
        registered = false;
        if (hold.holds(talked, continuable())) { // a new hold began before this release ran: keep holding
            stopReading();
            return;
        }
        if (session.clientClosed) {
            drop();
            return;
        }
        releasing = true;
        try {
            while (!bytes.isEmpty()) {
                session.clientBytes(bytes.poll());
            }
            if (fin) {
                fin = false;
                session.clientFinished();
            }
        } finally {
            releasing = false;
        }
        Channel primary = session.primary;
        if (primary != null) {
            primary.flush();
        }
        session.client.config().setAutoRead(primary == null || primary.isWritable());
    }

    /** Releases what is held (the client is gone). */
    void drop() {
        while (!bytes.isEmpty()) {
            bytes.poll().release();
        }
        fin = false;
    }
}
