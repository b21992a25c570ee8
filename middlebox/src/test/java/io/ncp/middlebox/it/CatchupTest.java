package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catch-up journal: a replica that cannot keep up is not dropped, its copies spill to disk and drain when it
 * takes bytes again (CATCHING_UP, then IN_SYNC, nothing lost); past the journal's bound it is STALE; what a killed
 * middlebox left in its journal is never replayed (the replica is STALE). Real Redis.
 */
@ExtendWith(NettyLeakExtension.class)
class CatchupTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MIB = "x".repeat(1 << 20);

    @TempDir
    Path dir;

    private Middlebox start(long journalBytes, RedisServer primary, RedisServer replica) {
        MiddleboxConfig cfg = Harness.config(ReplicaLoop.SHARED, Harness.service("redis", primary.hostPort(),
            CompareMode.BYTES, 1L << 20, replica.hostPort())).withJournal(new JournalConfig(dir.resolve("journal"),
            journalBytes, FsyncPolicy.NEVER));
        return Middlebox.start(cfg);
    }

    @Test
    void aStoppedReplicaCatchesUpFromTheJournalWithNothingLost() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(1L << 30, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            replica.process().pause();
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 48; i++) { // 48 MiB through a 1 MiB in-memory backlog
                    assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK");
                }
                Harness.await("spilling", WAIT, () -> r.stats().spilledBytes.sum() > 8L << 20,
                    () -> Harness.describe(svc));
                assertThat(r.consistency().state()).isEqualTo(State.CATCHING_UP);
                replica.process().resume();
                for (int i = 0; i < 100; i++) {
                    assertThat(c.call("INCR", "after")).isEqualTo((long) i + 1);
                }
            }
            Harness.awaitSettled(svc, WAIT);
            Harness.await("IN_SYNC again", WAIT, () -> r.consistency().inSync(), () -> Harness.describe(svc));
            assertThat(replica.digest()).isEqualTo(primary.digest());
            assertThat(r.stats().lagging.sum() + r.stats().damaged.sum()).as(Harness.describe(svc)).isZero();
            // the stopped replica's socket buffers may take a few MiB after the first spill drained: then it spills
            // again; it is never anything but IN_SYNC or CATCHING_UP, and it ends IN_SYNC
            assertThat(r.stats().spills.sum()).isPositive();
            List<State> states = r.consistency().history().stream().map(t -> t.to()).toList();
            assertThat(states).as(Harness.describe(svc)).startsWith(State.IN_SYNC, State.CATCHING_UP)
                .endsWith(State.IN_SYNC).doesNotContain(State.STALE);
            // a drained file of more than 8 MiB is renamed aside and deleted off the replica loop
            Harness.await("drained journal files deleted", WAIT, () -> retiredFiles(dir.resolve("journal")) == 0,
                () -> Harness.describe(svc));
            assertThat(journalBytes(dir.resolve("journal"))).as("emptied once drained").isLessThan(8L << 20);
        }
    }

    /**
     * A client that resets its session while the replica's copy of it waits in the journal: every byte the primary got
     * still reaches the replica, then the reset (the journal used to be dropped with the copy, the replica IN_SYNC).
     */
    @Test
    void aClientResetWhileItsBytesWaitInTheJournalStillDeliversThemToTheReplica() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(1L << 30, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            replica.process().pause();
            RespClient c = new RespClient("127.0.0.1", mb.port("redis"));
            try {
                for (int i = 0; i < 24; i++) {
                    assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK"); // the primary has them all
                }
                Harness.await("spilling", WAIT, () -> r.stats().spilledBytes.sum() > 8L << 20,
                    () -> Harness.describe(svc));
            } finally {
                c.reset();
            }
            Harness.await("the session ended at the front", WAIT, () -> svc.stats().active.sum() == 0,
                () -> Harness.describe(svc));
            replica.process().resume();
            Harness.awaitSettled(svc, WAIT);
            try (RespClient p = primary.client(); RespClient q = replica.client()) {
                assertThat(q.call("DBSIZE")).as(Harness.describe(svc)).isEqualTo(p.call("DBSIZE")).isEqualTo(24L);
            }
            assertThat(replica.digest()).isEqualTo(primary.digest());
            assertThat(r.stats().damaged.sum() + r.stats().lagging.sum()).as(Harness.describe(svc)).isZero();
            Harness.await("IN_SYNC again", WAIT, () -> r.consistency().inSync(), () -> Harness.describe(svc));
        }
    }

    @Test
    void pastTheJournalsBoundTheReplicaIsStale() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(4L << 20, primary, replica)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            replica.process().pause();
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 24; i++) {
                    assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK");
                }
            }
            Harness.await("STALE: journal full", WAIT, () -> r.consistency().state() == State.STALE,
                () -> Harness.describe(svc));
            assertThat(r.consistency().reason()).contains("catch-up journal full");
            replica.process().resume();
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.stats().lagging.sum()).isEqualTo(1);
        }
    }

    @Test
    void whatAKilledMiddleboxLeftInItsJournalIsNeverReplayed() throws Exception {
        Path journal = dir.resolve("journal");
        int listen = FreePorts.allocate();
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            Path cfg = dir.resolve("mb.yaml");
            Files.writeString(cfg, String.join("\n", "threads: 1", "admin: off", "statsInterval: 0",
                "journal: {dir: " + journal + ", fsync: never}", "services:", "  - name: redis",
                "    listen: 127.0.0.1:" + listen, "    primary: " + primary.hostPort(), "    replicaBacklog: 1MiB",
                "    replicas: [" + replica.hostPort() + "]", ""));
            replica.process().pause();
            try (ManagedProcess child = ManagedProcess.start("middlebox", List.of(Path.of(System.getProperty(
                "java.home"), "bin", "java").toString(), "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), "io.ncp.middlebox.cli.Main", "run", "--config",
                cfg.toString()), dir.resolve("child.log"))) {
                child.awaitPort("127.0.0.1", listen, WAIT);
                try (RespClient c = new RespClient("127.0.0.1", listen)) {
                    for (int i = 0; i < 16; i++) {
                        assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK");
                    }
                    Harness.await("spilled to the journal", WAIT, () -> journalBytes(journal) > (8L << 20),
                        child::tail);
                    child.kill(); // kill -9 while it spills
                }
            }
            Path file = journalFile(journal);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(f.length() - 10); // whatever the kill left, the last record is torn now
            }
            Path retired = file.resolveSibling(file.getFileName() + ".done-3"); // drained; its delete was cut short
            Files.write(retired, new byte[4096]);
            replica.process().resume();
            MiddleboxConfig again = Harness.config(ReplicaLoop.SHARED, Harness.service("redis", primary.hostPort(),
                CompareMode.BYTES, 1L << 20, replica.hostPort())).withJournal(new JournalConfig(journal, 1L << 30,
                FsyncPolicy.NEVER));
            try (Middlebox mb = Middlebox.start(again)) {
                ReplicaTarget r = mb.service("redis").replicas().get(0);
                assertThat(r.consistency().state()).isEqualTo(State.STALE);
                assertThat(r.consistency().reason()).as("its consistency file still names the killed run")
                    .contains("did not stop cleanly");
                assertThat(Files.size(file)).as("emptied: never replayed").isLessThan(64);
                assertThat(retired).as("a drained file left by the killed run is deleted").doesNotExist();
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("SET", "new", "1")).isEqualTo("OK");
                }
                Harness.awaitSettled(mb.service("redis"), WAIT);
            }
            try (RespClient direct = replica.client()) {
                assertThat(direct.call("GET", "new")).isEqualTo("1");
                for (int i = 8; i < 16; i++) { // more than 8 MiB were in the journal: at least these 8 SETs
                    assertThat(direct.call("EXISTS", "big" + i)).as("big%d was spilled: never replayed", i)
                        .isEqualTo(0L);
                }
            }
        }
    }

    /**
     * A clean stop (what SIGTERM does) while a stopped replica's copies spill: the aborted copies' records stay in the
     * journal and the next run starts the replica STALE. Before, the abort emptied the file and the next run showed
     * the replica IN_SYNC with 0 of the primary's 16 keys.
     */
    @Test
    void aCleanStopWhileCopiesSpillLeavesTheReplicaStaleForTheNextRun() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            replica.process().pause();
            try (Middlebox mb = start(1L << 30, primary, replica)) {
                ReplicaTarget r = mb.service("redis").replicas().get(0);
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    for (int i = 0; i < 16; i++) {
                        assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK");
                    }
                    Harness.await("spilled", WAIT, () -> r.stats().spilledBytes.sum() > 8L << 20,
                        () -> Harness.describe(mb.service("redis")));
                    assertThat(r.consistency().state()).isEqualTo(State.CATCHING_UP);
                }
            } // a clean stop, the session still open
            replica.process().resume();
            try (Middlebox mb = start(1L << 30, primary, replica)) {
                ReplicaTarget r = mb.service("redis").replicas().get(0);
                assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.STALE);
                assertThat(r.consistency().reason()).as("the stop cut copies that still held bytes").contains(
                    "when the middlebox last stopped serving it").contains("the middlebox stopped");
            }
            try (RespClient direct = replica.client()) {
                assertThat(direct.call("DBSIZE")).as("it really missed them").isNotEqualTo(16L);
            }
            assertThat(journalBytes(dir.resolve("journal"))).as("emptied once read: never replayed")
                .isLessThan(64);
        }
    }

    private static long journalBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".journal")).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static long retiredFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".journal.done-")).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static Path journalFile(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".journal")).findFirst().orElseThrow();
        }
    }
}
