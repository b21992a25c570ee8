package io.ncp.middlebox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.Units;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ncp-middlebox resync SERVICE REPLICA}: starts an online resync of a STALE replica on a running middlebox
 * ({@code POST .../resync}); with {@code --wait}, polls until the replica is IN_SYNC (exit 0) or STALE again (exit 1).
 */
@Command(name = "resync", mixinStandardHelpOptions = true,
    description = {
        "Resync a STALE replica online: the middlebox holds the service's clients for a moment, runs the service's "
            + "snapshot hook on the primary, releases them, runs the restore hook into the replica while it records "
            + "what the clients send, replays that, and marks the replica IN_SYNC (see docs/resync.md).",
        "Needs a resync section (snapshot and restore hooks) in the service's config and the catch-up journal."})
public final class ResyncCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 200;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "the service's name")
    String service;

    @Parameters(index = "1", paramLabel = "REPLICA", description = "the replica's HOST:PORT as configured")
    String replica;

    @Option(names = "--force", description = "resync even when the replica is not STALE")
    boolean force;

    @Option(names = "--reason", description = "why, for the log and the replica's history")
    String reason;

    @Option(names = "--wait", description = "wait until the resync ends: exit 0 when IN_SYNC, 1 when STALE")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
        description = "with --wait: give up waiting after this long (exit 1; the resync goes on), default 30m")
    String timeout;

    @Mixin
    AdminOptions adminOptions = new AdminOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        HostPort.parse("REPLICA", replica);
        Duration limit = Units.parseDuration("--timeout", timeout);
        ObjectNode body = JSON.createObjectNode();
        if (force) {
            body.put("force", true);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        AdminClient client = adminOptions.client();
        String path = "services/" + encode(service) + "/replicas/" + encode(replica) + "/resync";
        System.out.println(client.post(path, body.isEmpty() ? "" : body.toString()).strip());
        if (!await) {
            return 0;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            JsonNode r = find(JSON.readTree(client.get("services/" + encode(service))));
            String state = r.path("consistency").asText();
            if (state.equals("IN_SYNC") || state.equals("STALE")) {
                System.out.println(state + ": " + r.path("consistencyReason").asText() + " (resync " + r.path("resync")
                    + ")");
                return state.equals("IN_SYNC") ? 0 : 1;
            }
        }
        System.err.println("ncp-middlebox: resync of " + replica + " not over after " + timeout + " (it goes on)");
        return 1;
    }

    private JsonNode find(JsonNode svc) {
        for (JsonNode r : svc.path("stats").path("replicas")) {
            if (r.path("address").asText().equals(HostPort.parse("REPLICA", replica).toString())) {
                return r;
            }
        }
        throw new ConfigException("REPLICA", "'" + replica + "' is not a replica of service '" + service + "'");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
