package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.middlebox.stats.Prometheus;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.stats.ServiceStats;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Renders a middlebox's counters as JSON ({@code /stats}) and Prometheus text ({@code /metrics}). Thread-safe. */
public final class StatsView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatsView() {
    }

    /** The {@code /stats} document. */
    public static ObjectNode json(Middlebox m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("transport", m.transport().name().toLowerCase(Locale.ROOT));
        root.put("threads", m.config().threads());
        root.set("process", ProcessView.json(m));
        ArrayNode shards = root.putArray("shards");
        for (Shard s : m.shards()) {
            shards.addObject().put("index", s.index()).put("ringBacklog", s.ring().backlog())
                .put("ringBytes", s.ring().inFlightBytes());
        }
        CaptureStats capture = m.capture();
        if (capture != null) {
            root.set("capture", capture.json());
        }
        ArrayNode services = root.putArray("services");
        for (ServiceRuntime svc : m.services()) {
            services.add(service(svc));
        }
        return root;
    }

    /** One service's counters (also the body of {@code GET /services/{name}} under "stats"). */
    public static ObjectNode service(ServiceRuntime svc) {
        ServiceStats st = svc.stats();
        ObjectNode o = JSON.createObjectNode();
        InetSocketAddress bound = svc.boundAddress();
        o.put("name", svc.name());
        o.put("listen", bound == null ? null : bound.getHostString() + ":" + bound.getPort());
        FailoverView.add(o, svc);
        o.put("accepted", st.accepted.sum());
        o.put("refused", st.refused.sum());
        o.put("acceptFailures", st.acceptFailures.sum());
        o.put("primaryHealth", svc.primaryHealth().state().name());
        o.put("sessions", st.sessions.sum());
        o.put("active", st.active.sum());
        o.put("bytesIn", st.bytesIn.sum());
        o.put("bytesOut", st.bytesOut.sum());
        o.put("primaryFailures", st.primaryFailures.sum());
        o.put("resets", st.resets.sum());
        o.put("ringFull", st.ringFull.sum());
        o.put("ringMissed", st.ringMissed.sum());
        o.put("lockstepDrops", st.lockstepDrops.sum());
        o.put("comparisonsDropped", st.comparisonsDropped.sum());
        o.put("captureGaps", st.captureGaps.sum());
        o.put("answerGaps", st.answerGaps.sum());
        o.put("midstream", st.midstream.sum());
        ArrayNode reps = o.putArray("replicas");
        for (ReplicaTarget r : svc.replicas()) {
            reps.add(ReplicaView.json(r));
        }
        return o;
    }

    /** The {@code /metrics} text (Prometheus exposition format 0.0.4). */
    public static String prometheus(Middlebox m) {
        StringBuilder sb = new StringBuilder();
        String[][] svcMetrics = {
            {"accepted", "counter", "client connections accepted"},
            {"refused", "counter", "client connections refused (maxSessions or the descriptor budget)"},
            {"accept_failures", "counter", "failed accepts on the listener (e.g. out of descriptors)"},
            {"sessions", "counter", "sessions whose primary connection succeeded"},
            {"active", "gauge", "sessions open now"},
            {"bytes_in", "counter", "client bytes forwarded to the primary"},
            {"bytes_out", "counter", "primary bytes forwarded to the client"},
            {"primary_failures", "counter", "primary connect failures"},
            {"resets", "counter", "sessions ended by a reset"},
            {"ring_full", "counter", "sessions whose replica copies were damaged by a full ring"},
            {"ring_missed", "counter", "sessions not replicated because the ring was full at open"},
            {"lockstep_drops", "counter", "lockstep: replicas dropped from a session for holding answers too long"},
            {"comparisons_dropped", "counter", "sessions whose comparison was given up (ring control queue full)"},
            {"capture_gaps", "counter", "mirror: sessions whose client bytes had a capture gap (copies damaged)"},
            {"answer_gaps", "counter", "mirror: sessions whose primary answers had a capture gap (not compared)"},
            {"midstream", "counter", "mirror: flows first seen mid-stream, not replicated"},
        };
        for (String[] def : svcMetrics) {
            Prometheus.header(sb, "ncp_service_" + def[0] + (def[1].equals("counter") ? "_total" : ""), def[1], def[2]);
            for (ServiceRuntime svc : m.services()) {
                sb.append("ncp_service_").append(def[0]).append(def[1].equals("counter") ? "_total" : "")
                    .append("{service=\"").append(svc.name()).append("\"} ").append(serviceValue(svc.stats(), def[0]))
                    .append('\n');
            }
        }
        String[][] repMetrics = {
            {"up", "gauge", "1 when the replica answers connections, 0 when down"},
            {"in_sync", "gauge", "1 when the replica holds every client byte (IN_SYNC), 0 when CATCHING_UP or STALE"},
            {"consistency_changes", "counter", "consistency transitions (to STALE, readmitted, ...)"},
            {"sessions", "counter", "session copies connected"},
            {"missed", "counter", "sessions skipped while the replica was down"},
            {"connect_failures", "counter", "replica connect failures"},
            {"lagging", "counter", "session copies dropped for backlog overflow"},
            {"stalled", "counter", "session copies dropped because the replica stopped reading (replicaTimeout)"},
            {"damaged", "counter", "session copies damaged"},
            {"lost", "counter", "session copies whose connection was lost"},
            {"bytes_sent", "counter", "bytes sent to the replica"},
            {"bytes_answered", "counter", "bytes the replica answered"},
            {"backlog_bytes", "gauge", "bytes queued for the replica"},
            {"compared", "counter", "session copies whose answers were compared"},
            {"uncompared", "counter", "session copies ended without a full comparison (reset, replica kept open)"},
            {"divergent", "counter", "session copies whose answers differed from the primary's"},
            {"order_waits", "counter", "session copies that waited for earlier-ended sessions (session order)"},
            {"order_wait_milliseconds", "counter", "time session copies waited for earlier-ended sessions"},
        };
        for (String[] def : repMetrics) {
            String name = "ncp_replica_" + def[0] + (def[1].equals("counter") ? "_total" : "");
            Prometheus.header(sb, name, def[1], def[2]);
            for (ServiceRuntime svc : m.services()) {
                for (ReplicaTarget r : svc.replicas()) {
                    sb.append(name).append("{service=\"").append(svc.name()).append("\",replica=\"")
                        .append(r.label()).append("\"} ").append(replicaValue(r, def[0])).append('\n');
                }
            }
        }
        CaptureStats capture = m.capture();
        if (capture != null) {
            capture.prometheus(sb);
        }
        Prometheus.header(sb, "ncp_ring_backlog", "gauge", "events published and not yet consumed, per shard");
        for (Shard s : m.shards()) {
            sb.append("ncp_ring_backlog{shard=\"").append(s.index()).append("\"} ").append(s.ring().backlog())
                .append('\n');
        }
        return sb.toString();
    }

    private static long serviceValue(ServiceStats st, String key) {
        switch (key) {
            case "accepted":
                return st.accepted.sum();
            case "refused":
                return st.refused.sum();
            case "accept_failures":
                return st.acceptFailures.sum();
            case "comparisons_dropped":
                return st.comparisonsDropped.sum();
            case "sessions":
                return st.sessions.sum();
            case "active":
                return st.active.sum();
            case "bytes_in":
                return st.bytesIn.sum();
            case "bytes_out":
                return st.bytesOut.sum();
            case "primary_failures":
                return st.primaryFailures.sum();
            case "resets":
                return st.resets.sum();
            case "ring_full":
                return st.ringFull.sum();
            case "ring_missed":
                return st.ringMissed.sum();
            case "lockstep_drops":
                return st.lockstepDrops.sum();
            case "capture_gaps":
                return st.captureGaps.sum();
            case "answer_gaps":
                return st.answerGaps.sum();
            case "midstream":
                return st.midstream.sum();
            default:
                throw new IllegalArgumentException(key);
        }
    }

    private static long replicaValue(ReplicaTarget r, String key) {
        ReplicaStats rs = r.stats();
        switch (key) {
            case "up":
                return r.health().up() ? 1 : 0;
            case "in_sync":
                return r.consistency().inSync() ? 1 : 0;
            case "consistency_changes":
                return r.consistency().transitions();
            case "sessions":
                return rs.sessions.sum();
            case "missed":
                return rs.missed.sum();
            case "connect_failures":
                return rs.connectFailures.sum();
            case "lagging":
                return rs.lagging.sum();
            case "stalled":
                return rs.stalled.sum();
            case "damaged":
                return rs.damaged.sum();
            case "lost":
                return rs.lost.sum();
            case "bytes_sent":
                return rs.bytesSent.sum();
            case "bytes_answered":
                return rs.bytesAnswered.sum();
            case "backlog_bytes":
                return rs.backlogBytes.sum();
            case "compared":
                return rs.compared.sum();
            case "uncompared":
                return rs.uncompared.sum();
            case "divergent":
                return rs.divergent.sum();
            case "order_waits":
                return rs.orderWaits.sum();
            case "order_wait_milliseconds":
                return rs.orderWaitNanos.sum() / 1_000_000;
            default:
                throw new IllegalArgumentException(key);
        }
    }
}
