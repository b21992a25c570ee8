package io.ncp.middlebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code ncp-middlebox status} against a real middlebox (admin API with a token) between real Redis servers. */
@ExtendWith(NettyLeakExtension.class)
class StatusCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Exit code, stdout, stderr of one CLI run. */
    private record Run(int code, String out, String err) {
    }

    @Test
    void showsEachBackendAndFollowsAReplicaThatStops() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Appliance app = Appliance.start(Harness.config(ReplicaLoop.SHARED, Harness.service("redis",
                 primary.hostPort(), CompareMode.BYTES, 64L << 20, replica.hostPort()))
                 .withAdmin(new AdminConfig(new HostPort("127.0.0.1", 0), dir.resolve("token"), false, null, null)),
                 new PrintStream(OutputStream.nullOutputStream()))) {
            Middlebox mb = app.middlebox();
            String admin = "http://127.0.0.1:" + app.admin().address().getPort();
            String token = dir.resolve("token").toString();
            traffic(mb, 20);
            Harness.awaitSettled(mb.service("redis"), WAIT);

            Run ok = cli("status", "--admin", admin, "--admin-token-file", token, "--color", "never");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("redis  ok  listen 127.0.0.1:" + mb.port("redis"))
                .contains("sessions 0 open / 20")
                .containsPattern("primary +" + primary.hostPort().replace(".", "\\.") + " +UP")
                .containsPattern("replica +" + replica.hostPort().replace(".", "\\.") + " +UP +IN_SYNC +lag 0B/0ms "
                    + "div 0/20 dmg 0 miss 0 drop 0 wait \\d+/")
                .doesNotContain("\u001b[");

            replica.close();
            ReplicaTarget r = mb.service("redis").replicas().get(0);
            for (int i = 0; i < 100 && r.consistency().state() != ReplicaConsistency.State.STALE; i++) {
                traffic(mb, 1);
            }
            Run degraded = cli("status", "--admin", admin, "--admin-token-file", token, "--color", "always");
            assertThat(degraded.code()).as(degraded.err()).isZero();
            assertThat(degraded.out()).contains("degraded").contains("DOWN").contains("STALE")
                .contains("connection refused").contains("\u001b[31m");

            Run json = cli("status", "--json", "--admin", admin, "--admin-token-file", token);
            JsonNode stats = new ObjectMapper().readTree(json.out());
            assertThat(stats.path("services").get(0).path("replicas").get(0).path("consistency").asText())
                .isEqualTo("STALE");

            Run watch = cli("status", "--watch", "0.2", "--count", "2", "--color", "never", "--admin", admin,
                "--admin-token-file", token);
            assertThat(watch.code()).isZero();
            assertThat(watch.out().split("ncp-middlebox http", -1)).as(watch.out()).hasSize(3);

            Run wrongToken = cli("status", "--admin", admin, "--admin-token-file", dir.resolve("none").toString());
            assertThat(wrongToken.code()).isEqualTo(Main.EXIT_USAGE);
            assertThat(wrongToken.err()).contains("--admin-token-file").contains("does not exist");
        }
    }

    @Test
    void badOptionsAndAnUnreachableMiddleboxAreOneLineErrors() {
        Run noWatch = cli("status", "--count", "2");
        assertThat(noWatch.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noWatch.err()).contains("--count").contains("needs --watch");
        Run badWatch = cli("status", "--watch", "-1");
        assertThat(badWatch.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(badWatch.err()).contains("--watch");
        Run badColor = cli("status", "--color", "sometimes");
        assertThat(badColor.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(badColor.err()).contains("--color");
        Path token = dir.resolve("t");
        try {
            java.nio.file.Files.writeString(token, "x".repeat(64));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Run down = cli("status", "--admin", "127.0.0.1:" + FreePorts.allocate(), "--admin-token-file",
            token.toString());
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err().strip()).startsWith("ncp-middlebox: admin API").contains("unreachable")
            .doesNotContain("\n");
    }

    private static void traffic(Middlebox mb, int sessions) {
        for (int i = 0; i < sessions; i++) {
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "k" + i, "v")).isEqualTo("OK");
            }
        }
    }

    private static Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
