package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.middlebox.stats.ServiceStats;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Renders a middlebox's counters as JSON ({@code /stats}); {@link MetricsView} renders {@code /metrics}. */
public final class StatsView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatsView() {
    }

    /** The {@code /stats} document (without lag in seconds). */
    public static ObjectNode json(Middlebox m) {
        return json(m, null);
    }

    /** The {@code /stats} document; {@code history} (may be null) adds each replica's lag in seconds. */
    public static ObjectNode json(Middlebox m, StatsHistory history) {
        ObjectNode root = JSON.createObjectNode();
        root.put("transport", m.transport().name().toLowerCase(Locale.ROOT));
        root.put("threads", m.config().threads());
        root.set("process", ProcessView.json(m));
        ArrayNode shards = root.putArray("shards");
        for (Shard s : m.shards()) {
            shards.addObject().put("index", s.index()).put("ringBacklog", s.ring().backlog())
                .put("ringSize", m.config().ringSize()).put("ringBytes", s.ring().inFlightBytes())
                .put("ringBytesMax", m.config().ringBytes());
        }
        CaptureStats capture = m.capture();
        if (capture != null) {
            root.set("capture", capture.json());
        }
        ArrayNode services = root.putArray("services");
        for (ServiceRuntime svc : m.services()) {
            services.add(service(svc, history));
        }
        return root;
    }

    /** One service's counters (also the body of {@code GET /services/{name}} under "stats"). */
    public static ObjectNode service(ServiceRuntime svc) {
        return service(svc, null);
    }

    /** One service's counters; {@code history} (may be null) adds each replica's lag in seconds. */
    public static ObjectNode service(ServiceRuntime svc, StatsHistory history) {
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
        o.put("primaryHealthReason", svc.primaryHealth().reason());
        o.put("sessions", st.sessions.sum());
        o.put("active", st.active.sum());
        o.put("bytesIn", st.bytesIn.sum());
        o.put("bytesOut", st.bytesOut.sum());
        o.put("primaryFailures", st.primaryFailures.sum());
        o.put("fencedConnects", st.fencedConnects.sum());
        o.put("resets", st.resets.sum());
        o.put("ringFull", st.ringFull.sum());
        o.put("ringThrottled", st.ringThrottled.sum());
        o.put("ringMissed", st.ringMissed.sum());
        o.put("lockstepDrops", st.lockstepDrops.sum());
        o.put("comparisonsDropped", st.comparisonsDropped.sum());
        ObjectNode proto = o.putObject("protocol");
        proto.put("requests", st.protocol.requests.sum());
        proto.put("skipped", st.protocol.skipped.sum());
        proto.put("authentication", st.protocol.authentication.sum());
        proto.put("unreplicated", st.protocol.unreplicated.sum());
        proto.put("noisy", st.protocol.noisy.sum());
        proto.put("framingErrors", st.protocol.framingErrors.sum());
        proto.put("nondeterministicWrites", st.protocol.nondeterministicWrites.sum());
        proto.put("ungated", st.protocol.ungated.sum());
        proto.put("orderWaits", st.protocol.orderWaits.sum());
        proto.put("orderWaitMillis", st.protocol.orderWaitNanos.sum() / 1_000_000);
        proto.put("orderTimeouts", st.protocol.orderTimeouts.sum());
        proto.put("orderProbeFailures", st.protocol.orderProbeFailures.sum());
        o.put("captureGaps", st.captureGaps.sum());
        o.put("answerGaps", st.answerGaps.sum());
        o.put("midstream", st.midstream.sum());
        ArrayNode reps = o.putArray("replicas");
        for (ReplicaTarget r : svc.replicas()) {
            reps.add(ReplicaView.json(r, history == null ? Double.NaN : history.lagSeconds(svc.name(), r.label())));
        }
        return o;
    }

    /** The {@code /metrics} text (Prometheus exposition format 0.0.4), without lag in seconds. */
    public static String prometheus(Middlebox m) {
        return MetricsView.render(m, null);
    }
}
