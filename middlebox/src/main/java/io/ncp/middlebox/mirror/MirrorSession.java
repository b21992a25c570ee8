package io.ncp.middlebox.mirror;

import io.ncp.middlebox.core.ServiceRuntime;
import io.ncp.middlebox.ring.SessionFeed;

/** One captured session of a mirrored service; owned by its shard's front loop. */
final class MirrorSession {

    final ServiceRuntime service;
    final SessionFeed feed;
    boolean clientGap;
    boolean answerGap;
    boolean reset;
    int closedDirections;

    MirrorSession(ServiceRuntime service, SessionFeed feed) {
        this.service = service;
        this.feed = feed;
    }
}
