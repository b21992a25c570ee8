package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.cli.Main;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that missed bytes is STALE and stays STALE however many sessions succeed afterwards; only an explicit
 * readmit (admin API / CLI) makes it IN_SYNC again. Real Redis servers.
 */
@ExtendWith(NettyLeakExtension.class)
class ConsistencyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aReplicaRestartedEmptyIsStaleAndStaysStaleUntilReadmittedByTheCli() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Appliance app = Appliance.start(Harness.config(ReplicaLoop.SHARED, Harness.service("redis",
                 primary.hostPort(), CompareMode.BYTES, 64L << 20, replica.hostPort())).withAdmin(admin()),
                 new PrintStream(java.io.OutputStream.nullOutputStream()))) {
            Middlebox mb = app.middlebox();
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 50; i++) {
                    assertThat(c.call("SET", "k" + i, "v")).isEqualTo("OK");
                }
                Harness.await("replica identical", WAIT, () -> replica.digest().equals(primary.digest()),
                    () -> Harness.describe(svc));
                assertThat(r.consistency().state()).isEqualTo(State.IN_SYNC);
                replica.restartEmpty(); // kill -9 and a new, empty server on the same port
                for (int i = 50; i < 60; i++) { // this live session's copy lost its connection: bytes missed
                    assertThat(c.call("SET", "k" + i, "v")).isEqualTo("OK");
                }
            }
            Harness.await("STALE", WAIT, () -> r.consistency().state() == State.STALE, () -> Harness.describe(svc));
            for (int s = 0; s < 5; s++) { // new sessions reach it fine, yet it stays STALE
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("INCR", "n")).isEqualTo((long) s + 1);
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.stats().compared.sum()).isGreaterThanOrEqualTo(5);
            assertThat(r.consistency().state()).as(Harness.describe(svc)).isEqualTo(State.STALE);
            assertThat(replica.dbSize()).as("the restarted replica lacks the earlier keys")
                .isLessThan(primary.dbSize());
            assertThat(Main.execute("readmit", "redis", replica.hostPort(), "--reason", "copied the primary's RDB",
                "--admin", "http://127.0.0.1:" + app.admin().address().getPort(), "--admin-token-file",
                dir.resolve("token").toString())).isZero();
            assertThat(r.consistency().state()).isEqualTo(State.IN_SYNC);
            assertThat(r.consistency().reason()).contains("copied the primary's RDB");
            assertThat(r.consistency().history()).extracting(t -> t.to()).containsExactly(State.IN_SYNC,
                State.STALE, State.IN_SYNC);
        }
    }

    @Test
    void aLockstepEjectionMakesTheReplicaStaleSoLaterSessionsDoNotWaitForIt() {
        try (RedisServer primary = RedisServer.start(); StallServer stalled = new StallServer();
             Middlebox mb = Harness.start(Harness.service("ls", "lockstep", primary.hostPort(), CompareMode.BYTES,
                 64L << 20, stalled.hostPort()))) {
            ServiceRuntime svc = mb.service("ls");
            try (RespClient c = new RespClient("127.0.0.1", mb.port("ls"))) {
                assertThat(c.call("SET", "k", "v")).isEqualTo("OK"); // held until the stalled replica is ejected
            }
            Harness.await("the ejected replica STALE", WAIT,
                () -> svc.replicas().get(0).consistency().state() == State.STALE, () -> Harness.describe(svc));
            for (int i = 0; i < 5; i++) {
                try (RespClient c = new RespClient("127.0.0.1", mb.port("ls"))) {
                    assertThat(c.call("GET", "k")).isEqualTo("v");
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().lockstepDrops.sum()).as("one ejection, not one per session").isEqualTo(1);
            assertThat(svc.replicas().get(0).consistency().state()).isEqualTo(State.STALE);
        }
    }

    @Test
    void aDivergentReplicaIsStaleWhileItsSessionIsStillOpen() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("div", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 replica.hostPort()))) {
            ServiceRuntime svc = mb.service("div");
            ReplicaTarget r = svc.replicas().get(0);
            try (RespClient direct = replica.client()) {
                direct.call("SET", "only-here", "x".repeat(70_000)); // answers differ from the first block on
            }
            try (RespClient c = new RespClient("127.0.0.1", mb.port("div"))) {
                assertThat(c.call("GET", "only-here")).isNull();
                assertThat(c.call("SET", "big", "y".repeat(80_000))).isEqualTo("OK");
                assertThat(c.call("GET", "big")).isNotNull(); // completes the primary's first 64 KiB digest block
                Harness.await("divergence seen during the session", WAIT,
                    () -> r.consistency().state() == State.STALE, () -> Harness.describe(svc));
                assertThat(svc.stats().active.sum()).as("the session is still open").isEqualTo(1);
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.stats().divergent.sum()).as("counted once").isEqualTo(1);
            assertThat(r.consistency().reason()).contains("diverged");
        }
    }

    @Test
    void aReplacedServiceKeepsItsReplicasState() {
        try (RedisServer primary = RedisServer.start(); StallServer stalled = new StallServer();
             Middlebox mb = Harness.start(Harness.service("ls", "lockstep", primary.hostPort(), CompareMode.BYTES,
                 64L << 20, stalled.hostPort()))) {
            try (RespClient c = new RespClient("127.0.0.1", mb.port("ls"))) {
                assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
            }
            ServiceConfig again = mb.service("ls").config().withMaxSessions(10);
            mb.putService(again);
            assertThat(mb.service("ls").replicas().get(0).consistency().state()).as("not IN_SYNC by a PUT")
                .isEqualTo(State.STALE);
        }
    }

    private AdminConfig admin() {
        return new AdminConfig(new HostPort("127.0.0.1", 0), dir.resolve("token"), false, null, null);
    }
}
