/**
 * A live service as every part of the data path sees it: {@link io.ncp.middlebox.service.ServiceRuntime} (immutable
 * settings, counters, the end counter of session order, its listener) and its
 * {@link io.ncp.middlebox.service.ReplicaTarget}s (settings, counters, health, finish ledger), shared by all shards.
 */
package io.ncp.middlebox.service;
