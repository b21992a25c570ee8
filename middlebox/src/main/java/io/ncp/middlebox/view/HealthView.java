package io.ncp.middlebox.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import java.time.Instant;

/**
 * The {@code GET /health} document: per service {@code ok} (primary reachable, every replica up and IN_SYNC),
 * {@code degraded} (a replica is down or not IN_SYNC: the service serves, replication is incomplete) or
 * {@code down} (the primary is unreachable: the service cannot serve); overall the worst of them.
 * {@link #serving} says whether to answer 200 or 503.
 */
public final class HealthView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthView() {
    }

    /** The document. */
    public static ObjectNode json(Middlebox m) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = JSON.createArrayNode();
        String worst = "ok";
        for (ServiceRuntime s : m.services()) {
            String status = status(s);
            worst = worse(worst, status);
            ObjectNode o = list.addObject().put("name", s.name()).put("status", status);
            BackendHealth p = s.primaryHealth();
            o.putObject("primary").put("address", s.config().primary().toString()).put("health", p.state().name())
                .put("since", Instant.ofEpochMilli(p.sinceMillis()).toString()).put("reason", p.reason());
            ArrayNode reps = o.putArray("replicas");
            for (ReplicaTarget r : s.replicas()) {
                reps.addObject().put("address", r.label()).put("health", r.health().state().name())
                    .put("consistency", r.consistency().state().name()).put("reason", r.consistency().reason());
            }
        }
        root.put("status", worst).put("services", m.services().size());
        root.set("details", list);
        return root;
    }

    /** Whether every service can serve (200), or at least one cannot (503). */
    public static boolean serving(ObjectNode health) {
        return !"down".equals(health.get("status").asText());
    }

    private static String status(ServiceRuntime s) {
        if (s.primaryHealth().state() == BackendHealth.State.DOWN) {
            return "down";
        }
        for (ReplicaTarget r : s.replicas()) {
            if (!r.health().up() || !r.consistency().inSync()) {
                return "degraded";
            }
        }
        return "ok";
    }

    private static String worse(String a, String b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(String status) {
        return switch (status) {
            case "down" -> 2;
            case "degraded" -> 1;
            default -> 0;
        };
    }
}
