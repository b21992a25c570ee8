package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.stats.ReplicaStats;
import java.time.Instant;

/** One replica's state and counters as JSON (in {@code /stats}, {@code /services}, admin action answers). */
public final class ReplicaView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicaView() {
    }

    public static ObjectNode json(ReplicaTarget r) {
        ReplicaStats rs = r.stats();
        ObjectNode o = JSON.createObjectNode()
            .put("address", r.label())
            .put("bind", r.config().bind())
            .put("health", r.health().state().name())
            .put("healthReason", r.health().reason())
            .put("consistency", r.consistency().state().name())
            .put("consistencyReason", r.consistency().reason())
            .put("consistencySince", Instant.ofEpochMilli(r.consistency().sinceMillis()).toString())
            .put("consistencyChanges", r.consistency().transitions())
            .put("sessions", rs.sessions.sum())
            .put("missed", rs.missed.sum())
            .put("connectFailures", rs.connectFailures.sum())
            .put("lagging", rs.lagging.sum())
            .put("stalled", rs.stalled.sum())
            .put("spills", rs.spills.sum())
            .put("spilledBytes", rs.spilledBytes.sum())
            .put("damaged", rs.damaged.sum())
            .put("lost", rs.lost.sum())
            .put("bytesSent", rs.bytesSent.sum())
            .put("bytesAnswered", rs.bytesAnswered.sum())
            .put("backlogBytes", rs.backlogBytes.sum())
            .put("compared", rs.compared.sum())
            .put("uncompared", rs.uncompared.sum())
            .put("divergent", rs.divergent.sum())
            .put("orderWaits", rs.orderWaits.sum())
            .put("orderWaitMillis", rs.orderWaitNanos.sum() / 1_000_000);
        ArrayNode history = o.putArray("history");
        for (ReplicaConsistency.Transition t : r.consistency().history()) {
            history.addObject().put("at", Instant.ofEpochMilli(t.atMillis()).toString()).put("to", t.to().name())
                .put("reason", t.reason());
        }
        return o;
    }
}
