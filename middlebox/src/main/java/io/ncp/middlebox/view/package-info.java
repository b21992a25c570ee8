/**
 * Read-only renderings of a running middlebox's counters: {@link io.ncp.middlebox.view.StatsView} (the
 * {@code /stats} JSON and {@code /metrics} Prometheus text) and {@link io.ncp.middlebox.view.StatsLine} (the terminal
 * line).
 */
package io.ncp.middlebox.view;
