package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaAuth;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
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

/** Redis primary and replicas with different {@code requirepass}: each replica authenticated with its own. */
@ExtendWith(NettyLeakExtension.class)
class RedisAuthTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void redisBenchmarkWithAuthLeavesReplicasWithOtherPasswordsIdentical() {
        try (AuthServers.Redis primary = new AuthServers.Redis("primary-pw");
             AuthServers.Redis r1 = new AuthServers.Redis("replica-one-pw");
             AuthServers.Redis r2 = new AuthServers.Redis("replica-two-pw");
             Middlebox mb = Harness.start(AuthServers.service("redis", Protocol.REDIS, primary.hostPort(),
                 List.of(r1.hostPort(), r2.hostPort()), List.of(
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "r1", r1.password)),
                     AuthServers.auth("default", AuthServers.passwordFile(dir, "r2", r2.password)))))) {
            benchmark(mb.port("redis"), primary.password, "set,incr,lpush,hset", 5000);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            assertThat((Long) primary.call("DBSIZE")).isGreaterThan(100);
            assertThat(r1.digest()).isEqualTo(primary.digest());
            assertThat(r2.digest()).isEqualTo(primary.digest());
            for (int i = 0; i < 2; i++) {
                ReplicaStats rs = svc.replicas().get(i).stats();
                assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
                assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
                assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
                assertThat(svc.replicas().get(i).health().state()).isEqualTo(BackendHealth.State.UP);
            }
        }
    }

    @Test
    void hello3WithAuthAndAClientWithoutAuthAreRewrittenPerReplica() throws IOException {
        try (AuthServers.Redis primary = new AuthServers.Redis("primary-pw");
             AuthServers.Redis replica = new AuthServers.Redis("replica-pw");
             Middlebox mb = Harness.start(AuthServers.service("redis", Protocol.REDIS, primary.hostPort(),
                 List.of(replica.hostPort()), List.of(AuthServers.auth("default",
                     AuthServers.passwordFile(dir, "r", replica.password)))))) {
            int port = mb.port("redis");
            // RESP3 HELLO with AUTH: the replica's HELLO map (its own connection id) is not compared
            String hello = session(port, cmd("HELLO", "3", "AUTH", "default", "primary-pw", "SETNAME", "t")
                + cmd("SET", "a", "1") + cmd("INCR", "a") + cmd("QUIT"));
            assertThat(hello).contains("+OK\r\n:2\r\n");
            // AUTH user pw
            session(port, cmd("AUTH", "default", "primary-pw") + cmd("LPUSH", "l", "x", "y") + cmd("QUIT"));
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);
            assertThat(replica.digest()).isEqualTo(primary.digest());
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(2);
        }
    }

    @Test
    void aWrongReplicaPasswordMakesThatReplicaDownButNotTheClientsSession() {
        try (AuthServers.Redis primary = new AuthServers.Redis("primary-pw");
             AuthServers.Redis good = new AuthServers.Redis("good-pw");
             AuthServers.Redis bad = new AuthServers.Redis("bad-pw");
             Middlebox mb = Harness.start(AuthServers.service("redis", Protocol.REDIS, primary.hostPort(),
                 List.of(good.hostPort(), bad.hostPort()), List.<ReplicaAuth>of(
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "good", good.password)),
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "bad", "not-the-password")))))) {
            benchmark(mb.port("redis"), primary.password, "set", 2000);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            assertThat((Long) primary.call("DBSIZE")).isGreaterThan(100);
            assertThat(good.digest()).isEqualTo(primary.digest());
            ReplicaTarget b = svc.replicas().get(1);
            assertThat(b.health().state()).as(Harness.describe(svc)).isEqualTo(BackendHealth.State.DOWN);
            assertThat(b.health().reason()).startsWith("authentication failed: WRONGPASS");
            assertThat(b.consistency().state()).isEqualTo(ReplicaConsistency.State.STALE);
            assertThat(b.stats().damaged.sum() + b.stats().missed.sum()).isEqualTo(svc.stats().sessions.sum());
            assertThat((Long) bad.call("DBSIZE")).isZero();
            assertThat(svc.replicas().get(0).health().state()).isEqualTo(BackendHealth.State.UP);
        }
    }

    /**
     * A replica that accepts the connection but never answers its authentication: the client bytes held for it never
     * reach it, so once the replica timeout passes the copy is dropped and the replica STALE (it used to be closed
     * as "uncompared" after the front closed, the replica still IN_SYNC).
     */
    @Test
    void aReplicaThatNeverAnswersItsAuthenticationIsStaleNotSilentlyClosed() throws IOException {
        try (AuthServers.Redis primary = new AuthServers.Redis("primary-pw");
             StallServer mute = new StallServer();
             Middlebox mb = Middlebox.start(Harness.config(io.ncp.middlebox.config.ReplicaLoop.SHARED,
                 AuthServers.service("redis", Protocol.REDIS, primary.hostPort(),
                     List.of(mute.hostPort()), List.of(
                         AuthServers.auth(null, AuthServers.passwordFile(dir, "m", "mute-pw")))))
                 .withReplicaTimeout(Duration.ofSeconds(1)))) {
            String out = session(mb.port("redis"), cmd("AUTH", "primary-pw") + cmd("SET", "k", "v") + cmd("QUIT"));
            assertThat(out).isEqualTo("+OK\r\n+OK\r\n+OK\r\n");
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            Harness.await("the mute replica's copy dropped", SETTLE,
                () -> r.consistency().state() == ReplicaConsistency.State.STALE, () -> Harness.describe(svc));
            assertThat(r.consistency().reason()).contains("authentication not complete after 1 s");
            assertThat(r.stats().stalled.sum()).isEqualTo(1);
            assertThat(r.stats().uncompared.sum()).isZero();
            assertThat(mute.accepted()).isEqualTo(1);
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
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(commands.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    static void benchmark(int port, String password, String tests, int requests) {
        String bin = Binaries.require("redis-benchmark", "redis-tools").toString();
        String out = ManagedProcess.run(List.of(bin, "-h", "127.0.0.1", "-p", String.valueOf(port), "-a", password,
            "-c", "1", "-n", String.valueOf(requests), "-r", "10000", "-t", tests, "-q"), Duration.ofMinutes(3));
        assertThat(out).contains("requests per second");
    }
}
