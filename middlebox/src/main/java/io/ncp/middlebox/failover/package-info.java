/**
 * Failure detection and failover: {@link io.ncp.middlebox.failover.Prober} (active probes on a loop of their own),
 * {@link io.ncp.middlebox.failover.FailoverController} (one per service: health from the probes, promotion of a
 * replica when the primary is down) and {@link io.ncp.middlebox.failover.Voters} (who must agree that the primary is
 * down: this middlebox alone, or a majority with its peers, {@link io.ncp.middlebox.failover.PeerVoters}). Depends on
 * config, net, service and stats only.
 */
package io.ncp.middlebox.failover;
