package io.ncp.middlebox.service;

import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.order.FinishLedger;
import io.ncp.middlebox.stats.ReplicaStats;

/**
 * One replica of a live service: its settings, counters, health and which ended sessions have finished on it
 * (shared by all shards).
 */
public record ReplicaTarget(int index, ReplicaConfig config, ReplicaStats stats, ReplicaHealth health,
        FinishLedger finishes) {

    public ReplicaTarget(int index, ReplicaConfig config) {
        this(index, config, new ReplicaStats(), new ReplicaHealth(), new FinishLedger());
    }

    /** The label used in stats ({@code host:port}). */
    public String label() {
        return config.address().toString();
    }
}
