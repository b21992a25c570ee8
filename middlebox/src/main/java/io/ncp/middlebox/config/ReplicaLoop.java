package io.ncp.middlebox.config;

/** Where a shard's replica side (ring consumer + replica channels) runs. */
public enum ReplicaLoop {
    /** On the shard's front event loop (no thread hop; default). */
    SHARED,
    /** On a dedicated event loop per shard. */
    SEPARATE;

    static ReplicaLoop parse(String field, String text) {
        return ConfigEnums.parse(ReplicaLoop.class, field, text);
    }
}
