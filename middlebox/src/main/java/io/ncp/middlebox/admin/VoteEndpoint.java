package io.ncp.middlebox.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.failover.PeerVoters;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code POST /vote}: a peer middlebox that lost its primary asks this one whether it can reach that primary. Body
 * {@code {"address": "HOST:PORT", "send": BASE64|null, "expect": BASE64|null, "timeoutMillis": N, "misses": N}};
 * this middlebox probes the address with its own prober (from its {@code probeBind}) up to {@code misses} times, each
 * within {@code timeoutMillis}, and answers {@code {"reachable": BOOL, "detail": "...", "address": "..."}}. The
 * address must be inside this middlebox's {@code allow.backends} (else 403): otherwise whoever holds the token could
 * make it probe any host. Validation runs on the admin loop; the answer comes from the prober's loop.
 */
final class VoteEndpoint {

    static final String PATH = "/vote";
    private static final ObjectMapper JSON = new ObjectMapper();

    private VoteEndpoint() {
    }

    /**
     * Handles one request; {@code done} gets the answer exactly once, on this thread (refusals) or later on the
     * prober's loop.
     *
     * @throws ConfigException       for a malformed body (400, naming the field)
     * @throws IllegalStateException when the middlebox is closing (409)
     */
    static void handle(Middlebox middlebox, HttpMethod method, String body, Consumer<ReplicaActions.Answer> done) {
        if (!method.equals(HttpMethod.POST)) {
            done.accept(new ReplicaActions.Answer(405, error("use POST on " + PATH)));
            return;
        }
        JsonNode n = parse(body);
        HostPort address = HostPort.parse("address", text(n, "address", true));
        if (address.port() == 0) {
            throw new ConfigException("address", "'" + address + "' has port 0");
        }
        byte[] send = bytes(n, "send");
        byte[] expect = bytes(n, "expect");
        if (expect != null && send == null) {
            throw new ConfigException("expect", "an expected answer needs something to send (send)");
        }
        long timeout = number(n, "timeoutMillis", 1, PeerVoters.MAX_VOTE_MILLIS);
        long misses = number(n, "misses", 1, 1000);
        if (timeout * misses > PeerVoters.MAX_VOTE_MILLIS) {
            throw new ConfigException("misses", misses + " probes of " + timeout + " ms take longer than the "
                + PeerVoters.MAX_VOTE_MILLIS + " ms a vote may take");
        }
        try {
            middlebox.allowList().checkBackend("address", address);
        } catch (ConfigException outside) {
            done.accept(new ReplicaActions.Answer(403, error(outside.getMessage()).put("field", outside.field())));
            return;
        }
        FailoverConfig probe = new FailoverConfig(Duration.ofMillis(timeout), Duration.ofMillis(timeout),
            (int) misses, send, expect, false, List.of(), null, FailoverConfig.DEFAULT_HOLD);
        middlebox.prober().probeUpTo(address, probe, r -> done.accept(ReplicaActions.Answer.ok(
            JSON.createObjectNode().put("reachable", r.ok()).put("detail", r.detail())
                .put("address", address.toString()))));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ConfigException("body", "expected {\"address\": \"HOST:PORT\", \"send\": BASE64|null, "
                    + "\"expect\": BASE64|null, \"timeoutMillis\": N, \"misses\": N}");
            }
            return n;
        } catch (IOException e) {
            throw new ConfigException("body", "not valid JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ConfigException(field, "missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new ConfigException(field, "must be a string");
        }
        return v.asText();
    }

    private static byte[] bytes(JsonNode n, String field) {
        String t = text(n, field, false);
        if (t == null) {
            return null;
        }
        try {
            byte[] b = Base64.getDecoder().decode(t);
            if (b.length == 0) {
                throw new ConfigException(field, "empty (use null for none)");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, "not base64: " + e.getMessage());
        }
    }

    private static long number(JsonNode n, String field, long min, long max) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new ConfigException(field, "'" + (v == null ? "" : v.toString()) + "' must be a whole number "
                + min + ".." + max);
        }
        return v.asLong();
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }
}
