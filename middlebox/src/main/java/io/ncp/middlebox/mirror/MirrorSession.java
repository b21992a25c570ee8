package io.ncp.middlebox.mirror;

import io.ncp.middlebox.ring.SessionFeed;
import io.ncp.middlebox.service.ServiceRuntime;
import io.netty.buffer.ByteBuf;

/**
 * One captured session of a mirrored service; owned by its shard's front loop. Client bytes of one drain batch are
 * coalesced in {@link #pending} (owned here until {@link #flush()} hands it to the feed).
 */
final class MirrorSession {

    final ServiceRuntime service;
    final SessionFeed feed;
    /** Client bytes not yet published, or null. */
    ByteBuf pending;
    boolean clientGap;
    boolean answerGap;
    boolean reset;
    int closedDirections;

    MirrorSession(ServiceRuntime service, SessionFeed feed) {
        this.service = service;
        this.feed = feed;
    }

    /** Publishes the coalesced client bytes (the feed takes ownership). */
    void flush() {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            feed.clientBytes(p);
        }
    }
}
