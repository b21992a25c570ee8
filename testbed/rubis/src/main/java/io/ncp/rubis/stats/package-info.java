/**
 * Workload measurements: {@link io.ncp.rubis.stats.LatencyRecorder} (one per client thread, merged after
 * the run) and {@link io.ncp.rubis.stats.RunSummary} (throughput, write share, latency percentiles, CSV).
 */
package io.ncp.rubis.stats;
