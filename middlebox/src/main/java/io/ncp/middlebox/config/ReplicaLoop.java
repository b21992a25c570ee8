package io.ncp.middlebox.config;

/** Where a shard's replica side (ring consumer + replica channels) runs. */
public enum ReplicaLoop {
    /** On the shard's front event loop (no thread hop; default). */
    SHARED,
    /** On a dedicated event loop per shard. */
    SEPARATE;

    static ReplicaLoop parse(String field, String text) {
        for (ReplicaLoop m : values()) {
            if (m.name().equalsIgnoreCase(text)) {
                return m;
            }
        }
        throw new ConfigException(field, "'" + text + "' is not one of shared, separate");
    }
}
