package io.ncp.middlebox.frontend;

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

    HeldClientBytes(FrontSession session) {
        this.session = session;
        this.hold = session.service.clientHold();
        hold.track(this);
    }

    @Override
    public boolean awaitingAnswer() {
        return sentAfterAnswer;
    }

    @Override
    public boolean talked() {
        return talked;
    }

    /** Client bytes go on to the primary now (front loop). */
    void sent() {
        if (!sentAfterAnswer) {
            sentAfterAnswer = true;
        }
        if (!talked) {
            talked = true;
        }
    }

    /** Answer bytes came from the primary (front loop). */
    void answered() {
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
        if (releasing || bytes.isEmpty() && !fin && !hold.holds(talked)) {
            return false;
        }
        bytes.add(buf);
        stopReading();
        return true;
    }

    /** Keeps the client's FIN behind the held bytes; false: pass it on now. */
    boolean holdsFin() {
        if (releasing || bytes.isEmpty() && !hold.holds(talked)) {
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
        if (hold.holds(talked)) { // a new hold began before this release ran: keep holding
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
