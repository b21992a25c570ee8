package io.ncp.middlebox.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.view.ReplicaView;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;

/**
 * Operator actions on one replica: {@code POST /services/{name}/replicas/{host:port}/readmit} (optional body
 * {@code {"reason": "..."}}) makes a replica IN_SYNC again after the operator resynced it. Any thread (the admin
 * loop); consistency transitions are thread-safe.
 */
final class ReplicaActions {

    /** Path segment between the service name and the replica address. */
    static final String REPLICAS = "/replicas/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicaActions() {
    }

    /** The answer to {@code method} on {@code service}'s replica path {@code rest} ({@code host:port/action}). */
    static Answer handle(Middlebox middlebox, String service, String rest, HttpMethod method, String body) {
        ServiceRuntime s = middlebox.service(service);
        if (s == null) {
            return Answer.notFound("no service named '" + service + "'");
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0) {
            return Answer.notFound("use POST /services/" + service + "/replicas/HOST:PORT/readmit");
        }
        String address = rest.substring(0, slash);
        String action = rest.substring(slash + 1);
        ReplicaTarget r = s.replica(HostPort.parse("replica", address));
        if (r == null) {
            return Answer.notFound("service '" + service + "' has no replica " + address);
        }
        if (!action.equals("readmit")) {
            return Answer.notFound("no action '" + action + "' (known: readmit)");
        }
        if (!method.equals(HttpMethod.POST)) {
            return Answer.notAllowed("use POST on .../readmit");
        }
        String reason = reason(body);
        ReplicaConsistency.State before = r.consistency().readmit(reason);
        ObjectNode o = ReplicaView.json(r).put("service", service).put("was", before.name());
        return Answer.ok(o);
    }

    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "by the operator (admin API)";
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("reason") && n.get("reason").isTextual()) {
                return n.get("reason").asText();
            }
        } catch (IOException e) {
            throw new ConfigException("body", "not valid JSON: " + e.getMessage());
        }
        throw new ConfigException("body", "expected {\"reason\": \"...\"} or nothing");
    }

    /** A status and a JSON body. */
    record Answer(int status, ObjectNode body) {

        static Answer ok(ObjectNode body) {
            return new Answer(200, body);
        }

        static Answer notFound(String message) {
            return new Answer(404, JSON.createObjectNode().put("error", message));
        }

        static Answer notAllowed(String message) {
            return new Answer(405, JSON.createObjectNode().put("error", message));
        }
    }
}
