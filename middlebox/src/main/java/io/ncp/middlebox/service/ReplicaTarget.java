package io.ncp.middlebox.service;

import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.order.FinishLedger;
import io.ncp.middlebox.stats.ReplicaStats;

/**
 * One replica of a live service: its settings, counters, health, consistency and which ended sessions have finished
 * on it (shared by all shards). When a service is replaced (admin PUT), a replica that stays keeps its counters,
 * health and consistency ({@link #carriedTo}); only the finish ledger starts over with the new runtime's numbering.
 */
public record ReplicaTarget(int index, ReplicaConfig config, ReplicaStats stats, BackendHealth health,
        ReplicaConsistency consistency, FinishLedger finishes) {

    /** A replica joining service {@code service} IN_SYNC (it starts from the primary's state). */
    public static ReplicaTarget joining(String service, int index, ReplicaConfig config) {
        return new ReplicaTarget(index, config, new ReplicaStats(), new BackendHealth(), new ReplicaConsistency(
            service + ": replica " + config.address(), ReplicaConsistency.State.IN_SYNC, "joined with the service"),
            new FinishLedger());
    }

    /** The same replica (same address) at position {@code newIndex} of a replaced service. */
    public ReplicaTarget carriedTo(int newIndex, ReplicaConfig newConfig) {
        return new ReplicaTarget(newIndex, newConfig, stats, health, consistency, new FinishLedger());
    }

    /** The label used in stats ({@code host:port}). */
    public String label() {
        return config.address().toString();
    }
}
