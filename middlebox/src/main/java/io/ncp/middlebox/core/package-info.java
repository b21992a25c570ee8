/**
 * The running middlebox: {@link io.ncp.middlebox.core.Middlebox} owns the event loops, the
 * {@link io.ncp.middlebox.core.Shard}s (front loop + ring + replica side) and the live services
 * ({@link io.ncp.middlebox.core.ServiceRuntime}: config, listener, counters, replica health, the end counter of
 * session order) and, per replica, the {@link io.ncp.middlebox.core.FinishLedger} of ended sessions finished there.
 */
package io.ncp.middlebox.core;
