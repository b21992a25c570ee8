package io.ncp.middlebox.config;

/** What a shard does when its ring (the front's hand-off to the replica side) runs out of room. */
public enum RingFull {
    /**
     * The default: the primary never waits. Client bytes that do not fit damage the session's replica copies (its
     * replicas become STALE, counted as {@code ringFull}).
     */
    DAMAGE,
    /**
     * The front stops reading clients of the shard's replicated sessions while its ring is over half full, and reads
     * again under a quarter: TCP flow control slows the clients to what the replica side takes (its CPU, its catch-up
     * journal's disk), never to what a replica reads (a stopped replica's copies spill to the journal).
     */
    THROTTLE;

    /** Null (not configured) is {@link #DAMAGE}. */
    public static RingFull orDefault(RingFull r) {
        return r == null ? DAMAGE : r;
    }

    /** Parses {@code damage} or {@code throttle}; errors name {@code field} (a config key or a CLI flag). */
    public static RingFull parse(String field, String text) {
        return ConfigEnums.parse(RingFull.class, field, text);
    }
}
