package io.ncp.middlebox.view;

import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.replica.MemoryGuard;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.middlebox.stats.Prometheus;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.stats.ServiceStats;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The {@code /metrics} text (Prometheus exposition format 0.0.4). Names follow Prometheus conventions: the
 * {@code ncp_} prefix, a unit or counted noun as suffix ({@code _bytes}, {@code _seconds}, {@code _sessions}, ...),
 * {@code _total} on counters, the service and replica as labels ({@code service}, {@code replica}). The tables below
 * are the list of every series (docs/admin-api.md names them too). Thread-safe; reads counters only.
 */
public final class MetricsView {

    /** One series family: its name, type, help text and how to read it. */
    private record Family<T>(String name, String type, String help, ToDoubleFunction<T> value) {
    }

    private static final List<Family<ServiceRuntime>> SERVICE = List.of(
        svc("ncp_service_accepted_connections_total", "counter", "client connections accepted", s -> s.accepted.sum()),
        svc("ncp_service_refused_connections_total", "counter",
            "client connections refused (maxSessions or the descriptor budget)", s -> s.refused.sum()),
        svc("ncp_service_accept_failures_total", "counter", "failed accepts on the listener (e.g. out of descriptors)",
            s -> s.acceptFailures.sum()),
        svc("ncp_service_sessions_total", "counter", "sessions whose primary connection succeeded",
            s -> s.sessions.sum()),
        svc("ncp_service_active_sessions", "gauge", "sessions open now", s -> s.active.sum()),
        svc("ncp_service_request_bytes_total", "counter", "client bytes forwarded to the primary",
            s -> s.bytesIn.sum()),
        svc("ncp_service_answer_bytes_total", "counter", "primary bytes forwarded to the client",
            s -> s.bytesOut.sum()),
        svc("ncp_service_primary_connect_failures_total", "counter", "primary connect failures (client closed)",
            s -> s.primaryFailures.sum()),
        svc("ncp_service_fenced_connects_total", "counter",
            "new sessions connected again: their primary was fenced while they connected", s -> s.fencedConnects.sum()),
        svc("ncp_service_reset_sessions_total", "counter", "sessions ended by a reset", s -> s.resets.sum()),
        svc("ncp_service_ring_full_sessions_total", "counter",
            "sessions whose replica copies were damaged by a full ring", s -> s.ringFull.sum()),
        svc("ncp_service_ring_throttled_total", "counter",
            "ringFull: throttle: client reads paused while the shard's ring was half full", s -> s.ringThrottled.sum()),
        svc("ncp_service_ring_missed_sessions_total", "counter",
            "sessions not replicated because the ring was full at open", s -> s.ringMissed.sum()),
        svc("ncp_service_lockstep_drops_total", "counter",
            "lockstep: replicas dropped from a session for holding answers too long", s -> s.lockstepDrops.sum()),
        svc("ncp_service_protocol_requests_total", "counter",
            "protocol: redis|postgres|mysql|http: requests framed in client streams", s -> s.protocol.requests.sum()),
        svc("ncp_service_protocol_skipped_requests_total", "counter",
            "protocol: redis: requests never replayed to the replicas (noReplay)", s -> s.protocol.skipped.sum()),
        svc("ncp_service_protocol_authentication_requests_total", "counter",
            "protocol: redis: leading AUTH/HELLO requests (rewritten per replica, replies not compared)",
            s -> s.protocol.authentication.sum()),
        svc("ncp_service_protocol_unreplicated_sessions_total", "counter",
            "protocol: redis|postgres|mysql|http: sessions not replicated (SYNC, PSYNC, MONITOR; replication and "
                + "binlog connections)",
            s -> s.protocol.unreplicated.sum()),
        svc("ncp_service_protocol_noisy_requests_total", "counter",
            "protocol: redis|postgres|mysql|http: requests whose answers are noise (not compared)",
            s -> s.protocol.noisy.sum()),
        svc("ncp_service_protocol_nondeterministic_writes_total", "counter",
            "protocol: postgres|mysql: writes whose SQL calls a per-server function (replica data can differ)",
            s -> s.protocol.nondeterministicWrites.sum()),
        svc("ncp_service_protocol_framing_errors_total", "counter",
            "protocol: redis|postgres|mysql|http: client streams that stopped being framed (replicated as bytes)",
            s -> s.protocol.framingErrors.sum()),
        svc("ncp_service_protocol_ungated_sessions_total", "counter",
            "protocol: postgres|mysql|http: sessions a lockstep gate passes through (a Flush, a framing error)",
            s -> s.protocol.ungated.sum()),
        svc("ncp_service_order_waits_total", "counter",
            "order: service: requests that waited for another connection's requests to be consumed by the primary",
            s -> s.protocol.orderWaits.sum()),
        new Family<>("ncp_service_order_wait_seconds_total", "counter",
            "order: service: time those requests waited", s -> s.stats().protocol.orderWaitNanos.sum() / 1e9),
        svc("ncp_service_order_timeouts_total", "counter",
            "order: service: waits that reached the 2 s bound (the request went to the primary anyway)",
            s -> s.protocol.orderTimeouts.sum()),
        svc("ncp_service_order_probe_failures_total", "counter",
            "order: service: CLIENT LIST polls of the primary that failed", s -> s.protocol.orderProbeFailures.sum()),
        svc("ncp_service_comparisons_dropped_total", "counter",
            "sessions whose comparison was given up (ring control queue full)", s -> s.comparisonsDropped.sum()),
        svc("ncp_service_capture_gap_sessions_total", "counter",
            "mirror: sessions whose client bytes had a capture gap (copies damaged)", s -> s.captureGaps.sum()),
        svc("ncp_service_answer_gap_sessions_total", "counter",
            "mirror: sessions whose primary answers had a capture gap (not compared)", s -> s.answerGaps.sum()),
        svc("ncp_service_midstream_flows_total", "counter", "mirror: flows first seen mid-stream, not replicated",
            s -> s.midstream.sum()),
        new Family<>("ncp_service_primary_up", "gauge", "1 when the current primary answers, 0 when it is down",
            s -> s.primaryHealth().up() ? 1 : 0),
        new Family<>("ncp_service_failovers_total", "counter", "failovers (a replica promoted to primary)",
            s -> s.failovers().size()));

    private static final List<Family<ReplicaTarget>> REPLICA = List.of(
        new Family<>("ncp_replica_up", "gauge", "1 when the replica answers connections, 0 when down",
            r -> r.health().up() ? 1 : 0),
        new Family<>("ncp_replica_in_sync", "gauge",
            "1 when the replica holds every client byte (IN_SYNC), 0 when CATCHING_UP, RESYNCING or STALE",
            r -> r.consistency().inSync() ? 1 : 0),
        new Family<>("ncp_replica_consistency_changes_total", "counter",
            "consistency transitions (to STALE, readmitted, ...)", r -> r.consistency().transitions()),
        new Family<>("ncp_replica_not_in_sync_seconds_total", "counter",
            "time the replica spent STALE, CATCHING_UP or RESYNCING since it joined",
            r -> ReplicaView.notInSyncMillis(r) / 1e3),
        rep("ncp_replica_sessions_total", "counter", "session copies connected", s -> s.sessions.sum()),
        rep("ncp_replica_missed_sessions_total", "counter", "sessions skipped while the replica was down",
            s -> s.missed.sum()),
        rep("ncp_replica_connect_failures_total", "counter", "replica connect failures", s -> s.connectFailures.sum()),
        rep("ncp_replica_lagging_sessions_total", "counter",
            "session copies dropped for backlog overflow (or a lockstep ejection)", s -> s.lagging.sum()),
        rep("ncp_replica_stalled_sessions_total", "counter",
            "session copies dropped because the replica stopped reading (replicaTimeout)", s -> s.stalled.sum()),
        rep("ncp_replica_damaged_sessions_total", "counter", "session copies damaged (bytes missed, any reason)",
            s -> s.damaged.sum()),
        rep("ncp_replica_lost_sessions_total", "counter", "session copies whose connection was lost with bytes to send",
            s -> s.lost.sum()),
        rep("ncp_replica_sent_bytes_total", "counter", "bytes sent to the replica", s -> s.bytesSent.sum()),
        rep("ncp_replica_answered_bytes_total", "counter", "bytes the replica answered", s -> s.bytesAnswered.sum()),
        rep("ncp_replica_backlog_bytes", "gauge", "bytes queued for the replica: the lag in bytes",
            s -> s.backlogBytes.sum()),
        rep("ncp_replica_compared_sessions_total", "counter", "session copies whose answers were compared",
            s -> s.compared.sum()),
        rep("ncp_replica_uncompared_sessions_total", "counter",
            "session copies ended without a full comparison (reset, replica kept open)", s -> s.uncompared.sum()),
        rep("ncp_replica_divergent_sessions_total", "counter",
            "session copies whose answers differed from the primary's", s -> s.divergent.sum()),
        rep("ncp_replica_order_waits_total", "counter",
            "session copies that waited for earlier-ended sessions (session order)", s -> s.orderWaits.sum()),
        new Family<>("ncp_replica_order_wait_seconds_total", "counter",
            "time session copies waited for earlier-ended sessions", r -> r.stats().orderWaitNanos.sum() / 1e9),
        rep("ncp_replica_request_order_waits_total", "counter",
            "order: service: requests that waited for another connection's requests to be consumed by the replica",
            s -> s.requestOrderWaits.sum()),
        new Family<>("ncp_replica_request_order_wait_seconds_total", "counter",
            "order: service: time those requests waited", r -> r.stats().requestOrderWaitNanos.sum() / 1e9),
        rep("ncp_replica_request_order_drops_total", "counter",
            "order: service: copies dropped because the replica did not consume a request within 2 s",
            s -> s.requestOrderDrops.sum()),
        rep("ncp_replica_request_order_probe_failures_total", "counter",
            "order: service: CLIENT LIST polls of the replica that failed", s -> s.requestOrderProbeFailures.sum()));

    private MetricsView() {
    }

    private static Family<ServiceRuntime> svc(String name, String type, String help, ToLongFunction<ServiceStats> v) {
        return new Family<>(name, type, help, s -> v.applyAsLong(s.stats()));
    }

    private static Family<ReplicaTarget> rep(String name, String type, String help, ToLongFunction<ReplicaStats> v) {
        return new Family<>(name, type, help, r -> v.applyAsLong(r.stats()));
    }

    /** The whole exposition; {@code lag} adds {@code ncp_replica_lag_seconds} when given (else left out). */
    public static String render(Middlebox m, StatsHistory lag) {
        StringBuilder sb = new StringBuilder();
        List<ServiceRuntime> services = m.services();
        for (Family<ServiceRuntime> f : SERVICE) {
            Prometheus.header(sb, f.name(), f.type(), f.help());
            for (ServiceRuntime svc : services) {
                sb.append(f.name()).append("{service=\"").append(Prometheus.label(svc.name())).append("\"} ");
                value(sb, f.value().applyAsDouble(svc));
            }
        }
        for (Family<ReplicaTarget> f : REPLICA) {
            Prometheus.header(sb, f.name(), f.type(), f.help());
            for (ServiceRuntime svc : services) {
                for (ReplicaTarget r : svc.replicas()) {
                    replicaLabels(sb.append(f.name()), svc, r);
                    value(sb, f.value().applyAsDouble(r));
                }
            }
        }
        if (lag != null) {
            Prometheus.header(sb, "ncp_replica_lag_seconds", "gauge", "the backlog divided by the replica's recent "
                + "send rate: how long it would take to catch up (+Inf when bytes wait and none were sent)");
            for (ServiceRuntime svc : services) {
                for (ReplicaTarget r : svc.replicas()) {
                    replicaLabels(sb.append("ncp_replica_lag_seconds"), svc, r);
                    value(sb, lag.lagSeconds(svc.name(), r.label()));
                }
            }
        }
        CaptureStats capture = m.capture();
        if (capture != null) {
            capture.prometheus(sb);
        }
        Prometheus.header(sb, "ncp_ring_backlog_events", "gauge", "events published and not yet consumed, per shard");
        for (Shard s : m.shards()) {
            sb.append("ncp_ring_backlog_events{shard=\"").append(s.index()).append("\"} ").append(s.ring().backlog())
                .append('\n');
        }
        Prometheus.header(sb, "ncp_ring_in_flight_bytes", "gauge",
            "client bytes in the ring not yet consumed, per shard");
        for (Shard s : m.shards()) {
            sb.append("ncp_ring_in_flight_bytes{shard=\"").append(s.index()).append("\"} ")
                .append(s.ring().inFlightBytes()).append('\n');
        }
        Prometheus.header(sb, "ncp_direct_memory_bytes", "gauge", "direct memory in use (replica backlogs, buffers)");
        sb.append("ncp_direct_memory_bytes ").append(MemoryGuard.used()).append('\n');
        Prometheus.header(sb, "ncp_memory_guard_limit_bytes", "gauge",
            "direct memory above which lagging replica copies are dropped (the memory guard)");
        sb.append("ncp_memory_guard_limit_bytes ").append(ProcessView.guardLimit()).append('\n');
        return sb.toString();
    }

    private static void replicaLabels(StringBuilder sb, ServiceRuntime svc, ReplicaTarget r) {
        sb.append("{service=\"").append(Prometheus.label(svc.name())).append("\",replica=\"")
            .append(Prometheus.label(r.label())).append("\"} ");
    }

    private static void value(StringBuilder sb, double v) {
        if (Double.isInfinite(v)) {
            sb.append(v > 0 ? "+Inf" : "-Inf");
        } else if (Double.isNaN(v)) {
            sb.append("NaN");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else {
            sb.append(String.format(Locale.ROOT, "%.6g", v));
        }
        sb.append('\n');
    }
}
