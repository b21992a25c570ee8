package io.ncp.middlebox.frontend;

import io.ncp.middlebox.ring.ShardRing;

/** What a session's front side needs of its shard. Front loop only. */
public interface FrontShard {

    /** A session id unique in this middlebox. */
    long newSessionId();

    /** The ring this shard's front loop produces into. */
    ShardRing ring();
}
