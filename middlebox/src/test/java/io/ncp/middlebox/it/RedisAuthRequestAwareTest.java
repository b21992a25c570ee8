package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-replica credentials and request-aware replication together: a primary and two replicas with three different
 * {@code requirepass}, {@code protocol: redis}. The clients' AUTH / HELLO are rewritten per replica and take no
 * request number, so request <i>i</i> stays paired with reply <i>i</i> on every server: an INFO / CLIENT LIST / SET /
 * GET mix after AUTH (and after HELLO 3 AUTH) compares equal without a lockstep drop, and a real divergence is named
 * by the request number counted from the first request after authentication.
 */
@ExtendWith(NettyLeakExtension.class)
class RedisAuthRequestAwareTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lockstep", "async"})
    void authThenANoisyMixComparesEqualPerExchangeOnReplicasWithOtherPasswords(String mode) throws IOException {
        try (AuthServers.Redis primary = new AuthServers.Redis("primary-pw");
             AuthServers.Redis r1 = new AuthServers.Redis("replica-one-pw");
             AuthServers.Redis r2 = new AuthServers.Redis("replica-two-pw");
             Middlebox mb = Harness.start(AuthServers.service("redis", mode, Protocol.REDIS, primary.hostPort(),
                 List.of(r1.hostPort(), r2.hostPort()), List.of(
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "r1", r1.password)),
                     AuthServers.auth("default", AuthServers.passwordFile(dir, "r2", r2.password)))))) {
            ServiceRuntime svc = mb.service("redis");
            int port = mb.port("redis");
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                assertThat(c.call("AUTH", primary.password)).isEqualTo("OK");
                for (int i = 0; i < 100; i++) {
                    assertThat((String) c.call("INFO")).contains("run_id:");
                    assertThat(c.call("SET", "key" + i, "v" + i)).isEqualTo("OK");
                    assertThat((String) c.call("CLIENT", "LIST")).contains("addr=");
                    assertThat(c.call("GET", "key" + i)).isEqualTo("v" + i);
                    c.call("INCR", "counter");
                }
            }
            // pipelined: HELLO 3 with AUTH and SETNAME (RESP3 from then on), then the mix, then QUIT
            String reply = session(port, cmd("HELLO", "3", "AUTH", "default", primary.password, "SETNAME", "t")
                + cmd("INFO", "server") + cmd("SET", "h", "1") + cmd("CLIENT", "ID") + cmd("INCR", "h")
                + cmd("GET", "h") + cmd("QUIT"));
            assertThat(reply).contains("+OK\r\n").endsWith(":2\r\n$1\r\n2\r\n+OK\r\n");
            Harness.awaitSettled(svc, WAIT);

            assertThat(svc.stats().protocol.authentication.sum()).as(Harness.describe(svc)).isEqualTo(2);
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            for (int i = 0; i < 2; i++) {
                ReplicaStats rs = svc.replicas().get(i).stats();
                assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(2);
                assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
                assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
                assertThat(svc.replicas().get(i).health().state()).isEqualTo(BackendHealth.State.UP);
                assertThat(svc.replicas().get(i).consistency().inSync()).as(Harness.describe(svc)).isTrue();
            }
            assertThat(primary.call("GET", "counter")).isEqualTo("100");
            assertThat(r1.digest()).isEqualTo(primary.digest());
            assertThat(r2.digest()).isEqualTo(primary.digest());

            r1.call("SET", "key7", "changed on replica one");
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                c.call("AUTH", primary.password);
                c.call("INFO");
                assertThat(c.call("GET", "key7")).isEqualTo("v7");
                c.call("CLIENT", "LIST");
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.replicas().get(0).stats().divergent.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.replicas().get(0).consistency().reason()).as("numbered after the AUTH")
                .contains("at request #2 (GET)");
            assertThat(svc.replicas().get(1).stats().divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
        }
    }

    @Test
    void aClientWithoutAuthBehindAPasswordFreePrimaryIsPairedInLockstepWithTheInsertedAuth() {
        try (RedisServer primary = RedisServer.start();
             AuthServers.Redis replica = new AuthServers.Redis("replica-pw");
             Middlebox mb = Harness.start(AuthServers.service("redis", "lockstep", Protocol.REDIS, primary.hostPort(),
                 List.of(replica.hostPort()), List.of(
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "r", replica.password)))))) {
            ServiceRuntime svc = mb.service("redis");
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 50; i++) {
                    assertThat((String) c.call("INFO", "server")).contains("run_id:");
                    assertThat(c.call("SET", "k" + i, "v" + i)).isEqualTo("OK");
                    assertThat(c.call("GET", "k" + i)).isEqualTo("v" + i);
                }
            }
            Harness.awaitSettled(svc, WAIT);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(svc.stats().protocol.authentication.sum()).isZero();
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(replica.digest()).isEqualTo(primary.digest());
        }
    }

    private static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Sends {@code commands} at once and reads until the server closes (the last command is QUIT). */
    private static String session(int port, String commands) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(commands.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
