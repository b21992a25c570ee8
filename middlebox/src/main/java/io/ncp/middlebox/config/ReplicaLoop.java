package io.ncp.middlebox.config;

/** Where a shard's replica side (ring consumer + replica channels) runs. */
public enum ReplicaLoop {
    /** On the shard's front event loop (no thread hop). */
    SHARED,
    /** On a dedicated event loop per shard. */
    SEPARATE,
    /**
     * The default: {@link #SEPARATE} when a catch-up journal is configured (a spilling copy's file writes stay off the
     * primary's loop), else {@link #SHARED}.
     */
    AUTO;

    /** The loop used with {@code journal} configured or not. */
    public ReplicaLoop resolve(boolean journal) {
        return this != AUTO ? this : journal ? SEPARATE : SHARED;
    }

    static ReplicaLoop parse(String field, String text) {
        return ConfigEnums.parse(ReplicaLoop.class, field, text);
    }
}
