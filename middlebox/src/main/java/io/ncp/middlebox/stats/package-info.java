/**
 * Counters and their views. Counters are {@link java.util.concurrent.atomic.LongAdder}s updated by whichever event
 * loop observes the event (front loops for client/primary traffic, replica loops for replica traffic) and summed
 * when read; {@link io.ncp.middlebox.stats.StatsView} renders them as the terminal line, JSON and Prometheus text.
 */
package io.ncp.middlebox.stats;
