package io.ncp.middlebox.proto;

import io.netty.buffer.ByteBuf;

/** Where a {@link RequestFilter}'s results go (the front's per-session request-aware part). Front loop only. */
public interface RequestSink {

    /** Client bytes for the replicas, in order; the sink owns {@code bytes}. */
    void replay(ByteBuf bytes);

    /** Replayed request number {@code ordinal} has bits {@code exchange}; told before its last byte. */
    void expect(long ordinal, int exchange);

    /** The session's replication ends here ({@code what}: the request that ended it); nothing follows. */
    void unreplicate(String what);

    /**
     * The session's answers can no longer be gated per exchange ({@code why}, e.g. a PostgreSQL Flush whose answers
     * the client awaits without a reply end): a lockstep gate passes them through from here on. Replication and
     * comparison go on.
     */
    void ungate(String why);

    /**
     * A write whose SQL calls a per-server function ({@code what}: its name): each server evaluates it itself, so the
     * replicas' data can differ from the primary's while its answer compares equal (counted and logged, not hidden).
     */
    default void nondeterministic(String what) {
    }
}
