/**
 * The admin HTTP endpoint (loopback by default, its own one-thread event loop): {@code GET /health},
 * {@code GET /stats} (JSON), {@code GET /metrics} (Prometheus text), {@code GET /services},
 * {@code GET|PUT|DELETE /services/{name}} (the ONOS app pushes replication specs with PUT), {@code POST /vote} (a
 * peer middlebox asks whether this one reaches its primary; answered asynchronously from the prober's loop).
 */
package io.ncp.middlebox.admin;
