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
 * {@code {"reason": "..."}}) makes a replica IN_SYNC again after the operator resynced it;
 * {@code POST .../resync} (optional body {@code {"force": true, "reason": "..."}}) starts an online resync of a STALE
 * replica ({@link io.ncp.middlebox.resync.Resyncs}): 202 with the replica (RESYNCING), 409 with why not. Any thread
 * (the admin loop); consistency transitions are thread-safe.
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
        if (!action.equals("readmit") && !action.equals("resync")) {
            return Answer.notFound("no action '" + action + "' (known: readmit, resync)");
        }
        if (!method.equals(HttpMethod.POST)) {
            return Answer.notAllowed("use POST on ..." + "/" + action);
        }
        if (action.equals("resync")) {
            return resync(middlebox, s, r, body);
        }
        String reason = reason(body);
        ReplicaConsistency.State before = r.consistency().readmit(reason);
        ObjectNode o = ReplicaView.json(r).put("service", service).put("was", before.name());
        return Answer.ok(o);
    }

    private static Answer resync(Middlebox middlebox, ServiceRuntime s, ReplicaTarget r, String body) {
        JsonNode n = body(body, "{\"force\": true, \"reason\": \"...\"}");
        boolean force = false;
        String trigger = "admin API";
        if (n != null) {
            for (var it = n.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!f.equals("force") && !f.equals("reason")) {
                    throw new ConfigException("body." + f, "unknown field (known: force, reason)");
                }
            }
            if (n.has("force")) {
                if (!n.get("force").isBoolean()) {
                    throw new ConfigException("body.force", "'" + n.get("force") + "' is not true or false");
                }
                force = n.get("force").asBoolean();
            }
            if (n.hasNonNull("reason")) {
                trigger = "admin API: " + n.get("reason").asText();
            }
        }
        String refused = middlebox.resyncs().start(s, r, force, trigger);
        if (refused != null) {
            return new Answer(409, ReplicaView.json(r).put("service", s.name()).put("error", refused));
        }
        return new Answer(202, ReplicaView.json(r).put("service", s.name()));
    }

    /** The body as a JSON object, or null when empty. */
    private static JsonNode body(String body, String expected) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            throw new ConfigException("body", "not valid JSON: " + e.getMessage());
        }
        throw new ConfigException("body", "expected " + expected + " or nothing");
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
