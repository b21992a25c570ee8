package io.ncp.middlebox.proto;

import io.netty.buffer.ByteBuf;

/**
 * Short names of the recent requests of a client stream, by request number (numbered as the front numbers the
 * requests it replays): lets the replica side name the request whose answer diverged. Not thread-safe; never
 * retains.
 */
public interface RequestNamer {

    /** Client bytes sent to the replicas ({@code buf} borrowed, indices unchanged). */
    void feed(ByteBuf buf);

    /** The name of request {@code number} (e.g. {@code GET}, {@code INSERT INTO t ...}), or null when not known. */
    String name(long number);
}
