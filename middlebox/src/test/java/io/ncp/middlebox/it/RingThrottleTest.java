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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringFull}: a replica side slower than the clients (a stopped replica whose copies spill to a journal that
 * forces every record to disk) fills a small ring. With {@code damage} the copies are damaged and the replica is
 * STALE; with {@code throttle} the clients are slowed instead, nothing is damaged, and the replica catches up to
 * the primary's data. Real Redis.
 */
@ExtendWith(NettyLeakExtension.class)
class RingThrottleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VALUE = "v".repeat(256 << 10);
    private static final int SETS = 64;

    @TempDir
    Path dir;

    private Middlebox start(RingFull policy, RedisServer primary, RedisServer replica) {
        MiddleboxConfig cfg = new MiddleboxConfig(1, 64, 1L << 20, null, Duration.ZERO, ReplicaLoop.SEPARATE,
            Duration.ofSeconds(2), null, List.of(Harness.service("redis", primary.hostPort(), CompareMode.BYTES,
            64L << 10, replica.hostPort())))
            .withJournal(new JournalConfig(dir.resolve("journal-" + policy), 1L << 30, FsyncPolicy.ALWAYS))
            .withRingFull(policy);
        return Middlebox.start(cfg);
    }

    /** Writes SETS values of 256 KiB through the middlebox while the replica is stopped, then lets it go on. */
    private static void writeWhileTheReplicaIsStopped(Middlebox mb, RedisServer replica) {
        replica.process().pause();
        try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
            for (int i = 0; i < SETS; i++) {
                assertThat(c.call("SET", "k" + i, VALUE)).isEqualTo("OK");
            }
        } finally {
            replica.process().resume();
        }
    }

    @Test
    void throttleSlowsTheClientsInsteadOfDamagingTheCopies() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(RingFull.THROTTLE, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            writeWhileTheReplicaIsStopped(mb, replica);
            Harness.await("the replica caught up", WAIT, () -> r.consistency().state() == State.IN_SYNC
                && replica.dbSize() == SETS, () -> Harness.describe(svc));
            assertThat(svc.stats().ringFull.sum()).as("no copy damaged by a full ring").isZero();
            assertThat(svc.stats().ringThrottled.sum()).as("the clients were slowed").isPositive();
            assertThat(mb.shards().get(0).ring().throttle().pauses()).isPositive();
            assertThat(r.stats().spills.sum()).as("the copies spilled to the journal").isPositive();
            Harness.await("equal data", WAIT, () -> replica.digest().equals(primary.digest()), () -> "");
        }
    }

    @Test
    void damageKeepsThePrimarysPaceAndTheReplicaIsStale() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(RingFull.DAMAGE, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            writeWhileTheReplicaIsStopped(mb, replica);
            assertThat(svc.stats().ringFull.sum()).as("the same load fills the ring").isPositive();
            Harness.await("STALE", WAIT, () -> r.consistency().state() == State.STALE, () -> Harness.describe(svc));
            assertThat(r.consistency().reason()).contains("ring full");
            assertThat(svc.stats().ringThrottled.sum()).isZero();
            assertThat(mb.shards().get(0).ring().throttle()).isNull();
        }
    }
}
