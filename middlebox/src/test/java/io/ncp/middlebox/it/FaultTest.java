package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.replica.MemoryGuard;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults on the replica and client side never disturb the primary path; counters report them. */
@ExtendWith(NettyLeakExtension.class)
class FaultTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void replicaKilledMidSessionIsCountedAndThePrimaryPathGoesOn() {
        try (RedisServer primary = RedisServer.start(); RedisServer healthy = RedisServer.start();
             RedisServer doomed = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 healthy.hostPort(), doomed.hostPort()))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaStats ds = svc.replicas().get(1).stats();
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 100; i++) {
                    assertThat(c.call("SET", "k" + i, "v" + i)).isEqualTo("OK");
                }
                Harness.await("doomed replica connected", WAIT, () -> ds.sessions.sum() == 1, () -> "");
                doomed.process().kill();
                for (int i = 100; i < 300; i++) {
                    assertThat(c.call("SET", "k" + i, "v" + i)).isEqualTo("OK");
                    assertThat(c.call("INCR", "counter")).isEqualTo((long) (i - 99));
                }
                assertThat(c.call("GET", "k42")).isEqualTo("v42");
            }
            Harness.await("lost copy counted", WAIT, () -> ds.lost.sum() + ds.damaged.sum() >= 1,
                () -> Harness.describe(svc));
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "after", "kill")).isEqualTo("OK");
                assertThat(c.call("GET", "after")).isEqualTo("kill");
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.replicas().get(1).health().state()).isEqualTo(BackendHealth.State.DOWN);
            assertThat(svc.replicas().get(1).consistency().state()).as("it missed bytes")
                .isEqualTo(ReplicaConsistency.State.STALE);
            assertThat(svc.replicas().get(0).consistency().state()).isEqualTo(ReplicaConsistency.State.IN_SYNC);
            assertThat(ds.connectFailures.sum() + ds.missed.sum()).isGreaterThanOrEqualTo(1);
            assertThat(svc.stats().primaryFailures.sum()).isZero();
            Harness.await("healthy replica identical", WAIT, () -> healthy.digest().equals(primary.digest()),
                () -> Harness.describe(svc));
            assertThat(svc.replicas().get(0).stats().damaged.sum()).isZero();
        }
    }

    @Test
    void stalledReplicaIsDroppedAsLaggingWhileThePrimaryAnswersEverything() {
        ServiceRuntime svc = writeThroughStalledReplica(1L << 20);
        ReplicaStats rs = svc.replicas().get(0).stats();
        assertThat(rs.damaged.sum()).isEqualTo(1);
        assertThat(svc.replicas().get(0).consistency().state()).isEqualTo(ReplicaConsistency.State.STALE);
        assertThat(svc.replicas().get(0).consistency().reason()).contains("backlog over 1MiB");
    }

    @Test
    void replicaBacklogsAreCappedByTheDirectMemoryGuardBeforeTheirOwnLimit() {
        // per-copy backlog 1 GiB never fills here; the process-wide guard (tiny on purpose) drops the copy instead
        System.setProperty(MemoryGuard.LIMIT_PROPERTY, "4MiB");
        try {
            writeThroughStalledReplica(1L << 30);
        } finally {
            System.clearProperty(MemoryGuard.LIMIT_PROPERTY);
        }
    }

    /**
     * 32 MiB of SETs through the middlebox to a Redis primary and a replica that never reads (per-copy backlog
     * {@code backlog}): the primary answers all of them and the replica's copy ends dropped as lagging.
     *
     * @return the (closed) service, for further checks of its counters
     */
    private static ServiceRuntime writeThroughStalledReplica(long backlog) {
        try (RedisServer primary = RedisServer.start(); StallServer stalled = new StallServer();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, backlog,
                 stalled.hostPort()))) {
            ServiceRuntime svc = mb.service("redis");
            String big = "x".repeat(1 << 20);
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 32; i++) {
                    assertThat(c.call("SET", "big" + i, big)).isEqualTo("OK");
                }
                assertThat(c.call("STRLEN", "big31")).isEqualTo((long) big.length());
            }
            ReplicaStats rs = svc.replicas().get(0).stats();
            Harness.awaitSettled(svc, WAIT);
            assertThat(rs.lagging.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(rs.backlogBytes.sum()).isZero();
            assertThat(primary.dbSize()).isEqualTo(32);
            return svc;
        }
    }

    @Test
    void badMemoryGuardPropertyIsAConfigError() {
        System.setProperty(MemoryGuard.LIMIT_PROPERTY, "lots");
        try {
            assertThatThrownBy(() -> Harness.start(Harness.service("redis", "127.0.0.1:1", CompareMode.NONE, 1L << 20,
                "127.0.0.1:2"))).isInstanceOf(ConfigException.class).hasMessageContaining(MemoryGuard.LIMIT_PROPERTY);
        } finally {
            System.clearProperty(MemoryGuard.LIMIT_PROPERTY);
        }
    }

    @Test
    void unreachablePrimaryClosesTheClientCleanlyAndReplicasNeverSeeTheSession() throws Exception {
        try (StallServer replica = new StallServer();
             Middlebox mb = Harness.start(Harness.service("down", "127.0.0.1:" + FreePorts.allocate(),
                 CompareMode.BYTES, 1L << 20, replica.hostPort()))) {
            ServiceRuntime svc = mb.service("down");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mb.port("down")), 5000);
                s.setSoTimeout(15_000);
                assertThat(s.getInputStream().read()).as("EOF from the middlebox").isEqualTo(-1);
            }
            Harness.await("primary failure counted", WAIT, () -> svc.stats().primaryFailures.sum() == 1,
                () -> Harness.describe(svc));
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().sessions.sum()).isZero();
            assertThat(svc.replicas().get(0).stats().sessions.sum()).isZero();
            assertThat(replica.accepted()).isZero();
        }
    }

    @Test
    void clientResetResetsTheSessionAndLaterSessionsWork() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 replica.hostPort()))) {
            ServiceRuntime svc = mb.service("redis");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mb.port("redis")), 5000);
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] ok = in.readNBytes(5);
                assertThat(new String(ok, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
                out.write("*3\r\n$3\r\nSET\r\n$1\r\nb".getBytes(StandardCharsets.US_ASCII)); // half a command
                out.flush();
                s.setSoLinger(true, 0); // close() sends RST
            }
            Harness.await("reset counted", WAIT, () -> svc.stats().resets.sum() == 1, () -> Harness.describe(svc));
            Harness.awaitSettled(svc, WAIT);
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "c", "3")).isEqualTo("OK");
                assertThat(c.call("GET", "a")).isEqualTo("1");
                assertThat(c.call("EXISTS", "b")).isEqualTo(0L);
            }
            Harness.awaitSettled(svc, WAIT);
            Harness.await("replica identical", WAIT, () -> replica.digest().equals(primary.digest()),
                () -> Harness.describe(svc));
        }
    }
}
