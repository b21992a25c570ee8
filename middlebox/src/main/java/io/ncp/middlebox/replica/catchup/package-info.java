/**
 * The catch-up journal: {@link io.ncp.middlebox.replica.catchup.SpillFile} (one replica's spill file on one shard,
 * in the replay/ journal format), {@link io.ncp.middlebox.replica.catchup.SpillFiles} (a shard's, and what a
 * previous run left behind), {@link io.ncp.middlebox.replica.catchup.CopySpill} (one copy's spilled bytes, in
 * order), {@link io.ncp.middlebox.replica.catchup.ConsistencyFiles} (each replica's consistency kept across runs,
 * beside its spill files; thread-safe). Confined to a replica loop otherwise; imports no other middlebox package but
 * config, service and stats.
 */
package io.ncp.middlebox.replica.catchup;
