package io.ncp.middlebox.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;

/**
 * The optional {@code join} field of a service's PUT body: {@code "in-sync"} (default: replicas that stay keep their
 * consistency, new ones join IN_SYNC) or {@code "stale"} with an optional {@code joinReason}: every replica of the
 * service is STALE (the caller knows clients reached the primary without the middlebox, e.g. the ONOS app after a
 * fail-open period). Not part of the service's settings: an instruction for this PUT.
 *
 * @param rest   the body without the join fields (what the service parser reads)
 * @param stale  whether every replica must be STALE
 * @param reason why, for the replicas' history
 */
record JoinRequest(String rest, boolean stale, String reason) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Splits the join fields off {@code body}; a body that is not a JSON object is left to the service parser. */
    static JoinRequest take(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            return new JoinRequest(body, false, null);
        }
        if (!(n instanceof ObjectNode o) || !o.has("join")) {
            return new JoinRequest(body, false, null);
        }
        String join = o.get("join").asText();
        if (!join.equals("stale") && !join.equals("in-sync")) {
            throw new ConfigException("service.join", "'" + join + "' is not one of in-sync, stale");
        }
        String reason = o.hasNonNull("joinReason") ? o.get("joinReason").asText()
            : "the controller reported that clients bypassed the middlebox";
        o.remove("join");
        o.remove("joinReason");
        return new JoinRequest(o.toString(), join.equals("stale"), reason);
    }

    /** Marks every replica of {@code svc} STALE when asked to. */
    void apply(ServiceRuntime svc) {
        if (stale) {
            for (ReplicaTarget r : svc.replicas()) {
                r.consistency().stale(reason);
            }
        }
    }
}
