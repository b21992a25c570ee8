/**
 * The catch-up journal: {@link io.ncp.middlebox.replica.catchup.SpillFile} (one replica's spill file on one shard,
 * in the replay/ journal format), {@link io.ncp.middlebox.replica.catchup.SpillFiles} (a shard's, and what a
 * previous run left behind), {@link io.ncp.middlebox.replica.catchup.CopySpill} (one copy's spilled bytes, in
 * order). Confined to a replica loop; imports no other middlebox package but config and service.
 */
package io.ncp.middlebox.replica.catchup;
