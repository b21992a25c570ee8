/**
 * Online resync of a STALE replica: {@link io.ncp.middlebox.resync.Resyncs} (one per middlebox: starts resyncs, one at
 * a time per service, and autoResync), {@link io.ncp.middlebox.resync.Resync} (one resync's sequence on its own
 * thread: hold the clients, quiet primary, mark, snapshot hook, release, restore hook, replay),
 * {@link io.ncp.middlebox.resync.SnapshotPoint} (the hold, quiet and mark across the shards),
 * {@link io.ncp.middlebox.resync.Hook} (a configured command run with a clear environment). Imports service, config,
 * ring and replica; nothing imports it back but core (wiring) and admin.
 */
package io.ncp.middlebox.resync;
