/**
 * The running middlebox: {@link io.ncp.middlebox.core.Middlebox} owns the event loops, the
 * {@link io.ncp.middlebox.core.Shard}s (front loop + ring + replica side) and the live services
 * ({@link io.ncp.middlebox.core.ServiceRuntime}: config, listener, counters, replica health).
 */
package io.ncp.middlebox.core;
