package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.replica.catchup.ConsistencyFiles;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's consistency across restarts of the middlebox ({@code catchup.ConsistencyFiles}): a run that did not
 * stop cleanly leaves its replicas STALE; a STALE replica stays STALE; a clean stop gives the replicas time to take
 * what is queued for them and makes STALE only those it had to cut short; a replica that took everything starts
 * the next run IN_SYNC. Real Redis, the middlebox in this JVM or as a killed child process.
 */
@ExtendWith(NettyLeakExtension.class)
class RestartConsistencyTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MIB = "x".repeat(1 << 20);

    @TempDir
    Path dir;

    private Middlebox start(RedisServer primary, RedisServer replica) {
        return Middlebox.start(Harness.config(ReplicaLoop.SHARED, Harness.service("redis", primary.hostPort(),
            CompareMode.BYTES, 64L << 20, replica.hostPort())).withJournal(new JournalConfig(dir.resolve("journal"),
            1L << 30, FsyncPolicy.NEVER)));
    }

    private static ReplicaTarget replica(Middlebox mb) {
        return mb.service("redis").replicas().get(0);
    }

    private Path stateFile(RedisServer replica) {
        return dir.resolve("journal").resolve("redis").resolve(replica.hostPort().replace(':', '_'))
            .resolve(ConsistencyFiles.FILE);
    }

    @Test
    void aKilledMiddleboxLeavesItsReplicaStaleUntilItIsReadmitted() throws Exception {
        int listen = FreePorts.allocate();
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            Path cfg = dir.resolve("mb.yaml");
            Files.writeString(cfg, String.join("\n", "threads: 1", "admin: off", "statsInterval: 0",
                "journal: {dir: " + dir.resolve("journal") + ", fsync: never}", "services:", "  - name: redis",
                "    listen: 127.0.0.1:" + listen, "    primary: " + primary.hostPort(),
                "    replicas: [" + replica.hostPort() + "]", ""));
            long pid;
            try (ManagedProcess child = ManagedProcess.start("middlebox", List.of(Path.of(System.getProperty(
                "java.home"), "bin", "java").toString(), "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), "io.ncp.middlebox.cli.Main", "run", "--config",
                cfg.toString()), dir.resolve("child.log"))) {
                child.awaitPort("127.0.0.1", listen, WAIT);
                pid = child.pid();
                try (RespClient c = new RespClient("127.0.0.1", listen)) {
                    assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
                    Harness.await("the replica has the key", WAIT, () -> replica.dbSize() == 1, child::tail);
                }
                assertThat(Files.readString(stateFile(replica))).as("the running child's file names it")
                    .contains("run=pid " + pid).contains("state=IN_SYNC");
                child.kill(); // kill -9: nothing tells what it held for the replica
            }
            try (Middlebox mb = start(primary, replica)) {
                ReplicaTarget r = replica(mb);
                assertThat(r.consistency().state()).isEqualTo(State.STALE);
                assertThat(r.consistency().reason()).contains("pid " + pid).contains("did not stop cleanly");
                r.consistency().readmit("test: the operator checked the replica"); // what `ncp readmit` does
            }
            assertThat(Files.readString(stateFile(replica))).as("a clean stop: no run named").doesNotContain("run=")
                .contains("state=IN_SYNC");
            try (Middlebox mb = start(primary, replica)) {
                assertThat(replica(mb).consistency().state()).as("readmitted, then stopped cleanly")
                    .isEqualTo(State.IN_SYNC);
            }
        }
    }

    @Test
    void aStaleReplicaStaysStaleAcrossACleanRestart() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            try (Middlebox mb = start(primary, replica)) {
                ReplicaTarget r = replica(mb);
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("SET", "a", "1")).isEqualTo("OK");
                    Harness.await("the replica has a", WAIT, () -> replica.dbSize() == 1,
                        () -> Harness.describe(mb.service("redis")));
                    replica.restartEmpty(); // it lost its data: the copy's connection is gone
                    assertThat(c.call("SET", "b", "2")).isEqualTo("OK");
                    Harness.await("STALE", WAIT, () -> r.consistency().state() == State.STALE,
                        () -> Harness.describe(mb.service("redis")));
                }
            }
            try (Middlebox mb = start(primary, replica)) {
                ReplicaTarget r = replica(mb);
                assertThat(r.consistency().state()).as("before: IN_SYNC with 0 of the primary's keys")
                    .isEqualTo(State.STALE);
                assertThat(r.consistency().reason()).contains("it was STALE when the middlebox last stopped serving");
            }
            assertThat(replica.dbSize()).as("it really is stale").isZero();
        }
    }

    @Test
    void aCleanStopWithIdleSessionsKeepsTheReplicaInSync() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            RespClient open;
            try (Middlebox mb = start(primary, replica)) {
                open = new RespClient("127.0.0.1", mb.port("redis"));
                for (int i = 0; i < 100; i++) {
                    assertThat(open.call("SET", "k" + i, "v" + i)).isEqualTo("OK");
                }
                Harness.await("the replica has every key", WAIT, () -> replica.dbSize() == 100,
                    () -> Harness.describe(mb.service("redis")));
            } // stopped with the session still open (a pooled client's idle connection)
            open.close();
            try (Middlebox mb = start(primary, replica)) {
                assertThat(replica(mb).consistency().state()).as(replica(mb).consistency().reason())
                    .isEqualTo(State.IN_SYNC);
            }
            assertThat(replica.digest()).isEqualTo(primary.digest());
        }
    }

    @Test
    void aCleanStopCuttingQueuedBytesLeavesTheReplicaStale() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            replica.process().pause(); // SIGSTOP: the copy's bytes wait in memory (under the 64 MiB backlog)
            try {
                Middlebox first = start(primary, replica);
                ReplicaTarget cut = replica(first);
                try (RespClient c = new RespClient("127.0.0.1", first.port("redis"))) {
                    for (int i = 0; i < 48; i++) { // more than socket buffers hold, less than the 64 MiB backlog
                        assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK");
                    }
                } finally {
                    first.close(); // waits for the replica to take them, then cuts the copy
                }
                assertThat(cut.consistency().state()).isEqualTo(State.STALE);
                assertThat(cut.stats().spills.sum()).as("never spilled: all of it was in memory").isZero();
                try (Middlebox mb = start(primary, replica)) {
                    ReplicaTarget r = replica(mb);
                    assertThat(r.consistency().state()).as("before: IN_SYNC").isEqualTo(State.STALE);
                    assertThat(r.consistency().reason()).contains("the middlebox stopped");
                }
            } finally {
                replica.process().resume();
            }
            assertThat(replica.dbSize()).as("it really missed bytes").isLessThan(48L);
        }
    }

    @Test
    void aCleanStopWaitsForTheReplicaToTakeWhatIsQueued() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            replica.process().pause();
            Thread resume = new Thread(() -> {
                try {
                    Thread.sleep(1000); // within the stop's wait for the replicas
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                replica.process().resume();
            });
            try (Middlebox mb = start(primary, replica)) {
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    for (int i = 0; i < 48; i++) { // more than socket buffers hold, less than the 64 MiB backlog
                        assertThat(c.call("SET", "big" + i, MIB)).isEqualTo("OK");
                    }
                }
                ReplicaTarget r = replica(mb);
                Harness.await("bytes queued for the replica", WAIT, () -> r.stats().backlogBytes.sum() > 0,
                    () -> Harness.describe(mb.service("redis")));
                resume.start();
            } finally {
                resume.join(10_000);
                replica.process().resume();
            }
            try (Middlebox mb = start(primary, replica)) {
                assertThat(replica(mb).consistency().state()).as(replica(mb).consistency().reason())
                    .isEqualTo(State.IN_SYNC);
            }
            Harness.await("the replica's data equal to the primary's", WAIT, () -> replica.digest().equals(
                primary.digest()), () -> "replica keys: " + replica.dbSize());
        }
    }

    @Test
    void aConsistencyFileThatCannotBeWrittenLeavesTheReplicaStale() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            Files.createDirectories(dir.resolve("journal"));
            Files.writeString(dir.resolve("journal").resolve("redis"), "a file where the service's directory goes");
            try (Middlebox mb = start(primary, replica)) {
                assertThat(replica(mb).consistency().state()).isEqualTo(State.STALE);
                assertThat(replica(mb).consistency().reason()).contains("could not be written")
                    .contains("a crash of this run could not be told from a clean stop");
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("SET", "k", "v")).as("the service itself runs").isEqualTo("OK");
                }
            }
        }
    }

    @Test
    void anUnreadableStateFileLeavesTheReplicaStale() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            Files.createDirectories(stateFile(replica).getParent());
            Files.writeString(stateFile(replica), "state=SOMETHING\n");
            try (Middlebox mb = start(primary, replica)) {
                assertThat(replica(mb).consistency().state()).isEqualTo(State.STALE);
                assertThat(replica(mb).consistency().reason()).contains("no valid state").contains("SOMETHING");
            }
        }
    }
}
