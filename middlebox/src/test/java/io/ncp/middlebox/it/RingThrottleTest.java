package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.RingFull;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringFull}: a replica side that stops taking bytes (its loop held busy by the test, as a stalled disk write
 * would) lets a small ring fill. With {@code damage} the clients keep their pace, the copies are damaged and the
 * replica is STALE; with {@code throttle} the clients are slowed instead (their writes wait), nothing is damaged, and
 * the replica ends with the primary's data. Real Redis.
 */
@ExtendWith(NettyLeakExtension.class)
class RingThrottleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VALUE = "v".repeat(256 << 10);
    private static final int SETS = 16; // 4 MiB through a 1 MiB ring

    @TempDir
    Path dir;

    private Middlebox start(RingFull policy, RedisServer primary, RedisServer replica) {
        MiddleboxConfig cfg = new MiddleboxConfig(1, 64, 1L << 20, null, Duration.ZERO, ReplicaLoop.SEPARATE,
            Duration.ofSeconds(2), null, List.of(Harness.service("redis", primary.hostPort(), CompareMode.BYTES,
            64L << 20, replica.hostPort())))
            .withJournal(new JournalConfig(dir.resolve("journal-" + policy), 1L << 30, FsyncPolicy.NEVER))
            .withRingFull(policy);
        return Middlebox.start(cfg);
    }

    /** Holds the shard's replica loop busy until the returned latch opens: the ring is not drained meanwhile. */
    private static CountDownLatch stallReplicaSide(Middlebox mb) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        mb.shards().get(0).replicaLoop().execute(() -> {
            stalled.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    private static void writeAll(int port) {
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            for (int i = 0; i < SETS; i++) {
                assertThat(c.call("SET", "k" + i, VALUE)).isEqualTo("OK");
            }
        }
    }

    @Test
    void throttleSlowsTheClientsInsteadOfDamagingTheCopies() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(RingFull.THROTTLE, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            CountDownLatch release = stallReplicaSide(mb);
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> writeAll(mb.port("redis")));
            try {
                Harness.await("the client paused", WAIT, () -> svc.stats().ringThrottled.sum() > 0,
                    () -> Harness.describe(svc));
                assertThat(client).as("its writes wait while the ring is half full").isNotDone();
            } finally {
                release.countDown();
            }
            client.get(60, TimeUnit.SECONDS);
            Harness.await("the replica has every key", WAIT, () -> replica.dbSize() == SETS,
                () -> Harness.describe(svc));
            assertThat(svc.stats().ringFull.sum()).as("no copy damaged by a full ring").isZero();
            assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            assertThat(mb.shards().get(0).ring().throttle().pauses()).isPositive();
            Harness.await("equal data", WAIT, () -> replica.digest().equals(primary.digest()), () -> "");
        }
    }

    @Test
    void damageKeepsThePrimarysPaceAndTheReplicaIsStale() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(RingFull.DAMAGE, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            CountDownLatch release = stallReplicaSide(mb);
            try {
                writeAll(mb.port("redis")); // every write answered while the replica side takes nothing
            } finally {
                release.countDown();
            }
            assertThat(svc.stats().ringFull.sum()).as("4 MiB through a 1 MiB ring that is not drained").isPositive();
            Harness.await("STALE", WAIT, () -> r.consistency().state() == State.STALE, () -> Harness.describe(svc));
            assertThat(r.consistency().reason()).contains("ring full");
            assertThat(svc.stats().ringThrottled.sum()).isZero();
            assertThat(mb.shards().get(0).ring().throttle()).isNull();
        }
    }
}
