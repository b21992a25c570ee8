package io.ncp.middlebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /vote} on a real admin server: the token, the allow-list, the body's checks, and real probes of a real
 * redis-server (answering, answering something else) and of a port nobody listens on.
 */
@ExtendWith(NettyLeakExtension.class)
class VoteEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PING = Base64.getEncoder().encodeToString("PING\r\n".getBytes());

    @TempDir
    Path dir;

    private static String vote(String address, String expect, int timeoutMillis, int misses) {
        return "{\"address\": \"" + address + "\", \"send\": \"" + PING + "\", \"expect\": " + (expect == null
            ? "null" : "\"" + Base64.getEncoder().encodeToString(expect.getBytes()) + "\"") + ", \"timeoutMillis\": "
            + timeoutMillis + ", \"misses\": " + misses + "}";
    }

    private static JsonNode body(String response) throws Exception {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aVoterProbesAnAllowedBackendItselfAndRefusesOthers() throws Exception {
        int closed = FreePorts.allocate();
        try (RedisServer redis = RedisServer.start();
             Middlebox mb = Middlebox.start(Harness.config(io.ncp.middlebox.config.ReplicaLoop.SHARED).withAllow(
                 Harness.allow("127.0.0.1", redis.hostPort() + ", 127.0.0.1:" + closed)));
             AdminServer admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0), dir.resolve("t"),
                 false, null, null), mb)) {
            String token = Files.readString(dir.resolve("t")).strip();
            AdminClient c = new AdminClient(admin.address());
            String ask = vote(redis.hostPort(), "+PONG", 400, 3);

            String noToken = c.call("POST", "/vote", null, null, ask);
            assertThat(AdminClient.status(noToken)).isEqualTo(401);
            assertThat(AdminClient.status(c.call("POST", "/vote", null, "0".repeat(64), ask))).isEqualTo(401);

            String up = c.call("POST", "/vote", null, token, ask);
            assertThat(AdminClient.status(up)).as(up).isEqualTo(200);
            assertThat(body(up).get("reachable").asBoolean()).isTrue();
            assertThat(body(up).get("detail").asText()).isEqualTo("answered");
            assertThat(body(up).get("address").asText()).isEqualTo(redis.hostPort());

            String other = c.call("POST", "/vote", null, token, vote(redis.hostPort(), "+NOPE", 400, 2));
            assertThat(body(other).get("reachable").asBoolean()).isFalse();
            assertThat(body(other).get("detail").asText()).isEqualTo("2 probes missed (last: answered something "
                + "else than expected (byte 1))");

            String refused = c.call("POST", "/vote", null, token, vote("127.0.0.1:" + closed, null, 400, 3));
            assertThat(AdminClient.status(refused)).isEqualTo(200);
            assertThat(body(refused).get("reachable").asBoolean()).isFalse();
            assertThat(body(refused).get("detail").asText()).isEqualTo("3 probes missed (last: connection refused)");

            String outside = c.call("POST", "/vote", null, token, vote("127.0.0.2:" + redis.port(), null, 400, 3));
            assertThat(AdminClient.status(outside)).as(outside).isEqualTo(403);
            assertThat(body(outside).get("field").asText()).isEqualTo("address");
            assertThat(body(outside).get("error").asText()).contains("127.0.0.2").contains("allow.backends");
            String otherPort = c.call("POST", "/vote", null, token, vote("127.0.0.1:" + (closed == 65535 ? 1
                : closed + 1), null, 400, 3));
            assertThat(AdminClient.status(otherPort)).as("the allow-list's port matters").isEqualTo(403);

            assertThat(AdminClient.status(c.call("GET", "/vote", null, token, null))).isEqualTo(405);
            String[][] bad = {
                {"", "body"},
                {"[1]", "body"},
                {"{\"send\": null}", "address"},
                {"{\"address\": \"nohostport\"}", "address"},
                {"{\"address\": \"" + redis.hostPort() + "\", \"send\": \"%%%\"}", "send"},
                {"{\"address\": \"" + redis.hostPort() + "\", \"expect\": \"" + PING + "\"}", "expect"},
                {"{\"address\": \"" + redis.hostPort() + "\", \"misses\": 3}", "timeoutMillis"},
                {"{\"address\": \"" + redis.hostPort() + "\", \"timeoutMillis\": 0, \"misses\": 3}", "timeoutMillis"},
                {"{\"address\": \"" + redis.hostPort() + "\", \"timeoutMillis\": 400, \"misses\": 1.5}", "misses"},
                {"{\"address\": \"" + redis.hostPort() + "\", \"timeoutMillis\": 30000, \"misses\": 3}", "misses"},
            };
            for (String[] b : bad) {
                String r = c.call("POST", "/vote", null, token, b[0]);
                assertThat(AdminClient.status(r)).as("%s -> %s", b[0], r).isEqualTo(400);
                assertThat(body(r).get("field").asText()).as(r).isEqualTo(b[1]);
            }
            String after = c.call("POST", "/vote", null, token, ask);
            assertThat(body(after).get("reachable").asBoolean()).as("still serving after the refusals").isTrue();
        }
    }

    @Test
    void aServicePutThroughTheApiCannotNameAVoterTokenFile() throws Exception {
        try (Middlebox mb = Harness.startAllowing("127.0.0.1", "127.0.0.1");
             AdminServer admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0), dir.resolve("t"),
                 false, null, null), mb)) {
            String token = Files.readString(dir.resolve("t")).strip();
            String put = c(admin).call("PUT", "/services/x", null, token, "{\"listen\": \"127.0.0.1:0\", "
                + "\"primary\": \"127.0.0.1:9\", \"failover\": {\"voters\": [\"http://127.0.0.1:9091\"], "
                + "\"voterTokenFile\": \"/etc/hostname\"}}");
            assertThat(AdminClient.status(put)).as(put).isEqualTo(400);
            assertThat(body(put).get("field").asText()).isEqualTo("service.failover.voterTokenFile");
            assertThat(mb.service("x")).isNull();
        }
    }

    private static AdminClient c(AdminServer admin) {
        return new AdminClient(admin.address());
    }
}
