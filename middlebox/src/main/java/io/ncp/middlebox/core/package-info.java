/**
 * Wiring only: {@link io.ncp.middlebox.core.Middlebox} owns the event loops, the
 * {@link io.ncp.middlebox.core.Shard}s (front loop + ring + replica side) and the live services, binds their
 * listeners and replaces them atomically. Nothing below it (frontend, ring, replica, service, net) imports this
 * package.
 */
package io.ncp.middlebox.core;
