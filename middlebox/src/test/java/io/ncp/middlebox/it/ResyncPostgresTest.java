package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online resync of a STALE PostgreSQL replica with real servers on loopback ({@code initdb -A trust}), with the recipe
 * of docs/resync.md: the snapshot hook opens a REPEATABLE READ transaction on the primary while the clients are held
 * and exports its snapshot; the restore hook dumps with that snapshot ({@code pg_dump --snapshot}), drops and
 * recreates the replica's database and restores the dump. {@code pgbench -C} (a new session per transaction) writes
 * through the middlebox during the resync; a session open at the snapshot point that holds server state cannot be
 * continued on the restored replica, so the snapshot point waits for it to end, and one that stays open fails the
 * resync (sessions idle without server state are continued: {@link ResyncPostgresIdleTest}).
 */
@ExtendWith(NettyLeakExtension.class)
class ResyncPostgresTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Middlebox start(PostgresServer primary, PostgresServer replica, Duration maxPause) throws Exception {
        return new PgResyncFixture(dir).start(primary, replica, maxPause);
    }

    private List<String> pgbench(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require("pgbench", "postgresql").toString(), "-h",
            "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        return cmd;
    }

    /** Content hashes of the pgbench tables (history without its mtime, which each server sets itself). */
    private static List<String> hashes(PostgresServer s) {
        return List.of(s.tableHash("pgbench_accounts", "aid"), s.tableHash("pgbench_tellers", "tid"),
            s.tableHash("pgbench_branches", "bid"),
            s.tableHash("(SELECT tid, bid, aid, delta FROM pgbench_history)", "tid, bid, aid, delta"));
    }

    @Test
    void aReplicaThatMissedWritesIsResyncedWhilePgbenchKeepsWriting() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = start(primary, replica, Duration.ofSeconds(5))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            ManagedProcess.run(pgbench(port, "-i", "-q"), Duration.ofMinutes(3));
            Harness.awaitSettled(svc, WAIT);
            assertThat(hashes(replica)).isEqualTo(hashes(primary));

            replica.stop(); // the replica misses these writes: STALE
            ManagedProcess.run(pgbench(port, "-n", "-C", "-c", "1", "-t", "100"), Duration.ofMinutes(3));
            replica.startAgain();
            Harness.await("STALE after missing writes", WAIT, () -> r.consistency().state() == State.STALE,
                () -> Harness.describe(svc));
            assertThat(hashes(replica)).isNotEqualTo(hashes(primary));

            Path log = dir.resolve("pgbench.log");
            try (ManagedProcess load = ManagedProcess.start("pgbench", pgbench(port, "-n", "-C", "-c", "1", "-T",
                "25"), log)) {
                long before = svc.stats().sessions.sum();
                Harness.await("pgbench runs through the middlebox", WAIT, () -> svc.stats().sessions.sum() > before
                    + 50, () -> Harness.describe(svc));
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                Harness.await("the resync ended", WAIT, () -> r.consistency().resync().over(),
                    () -> Harness.describe(svc) + " " + r.consistency().resync().phase());
                assertThat(r.consistency().state()).as(() -> r.consistency().reason() + " " + r.consistency()
                    .history() + "; replica " + hashes(replica) + ", primary " + hashes(primary))
                    .isEqualTo(State.IN_SYNC);
                long after = svc.stats().sessions.sum();
                Harness.await("pgbench goes on after the resync", WAIT, () -> svc.stats().sessions.sum() > after + 50
                    || !load.isAlive(), () -> Harness.describe(svc));
                assertThat(load.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(load.tail()).isTrue();
                assertThat(load.process().exitValue()).as(load.tail()).isZero();
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(hashes(replica)).as(Harness.describe(svc)).isEqualTo(hashes(primary));
            assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            ResyncProgress p = r.consistency().resync();
            assertThat(p.phase()).isEqualTo(ResyncProgress.Phase.DONE);
            assertThat(p.pauseMillis()).as("measured pause").isBetween(0L, 5_000L);
            assertThat(p.journalBytes()).as("pgbench went on during the restore").isPositive();
            assertThat(p.replayedBytes()).isEqualTo(p.journalBytes());
            assertThat(r.stats().divergent.sum()).as(Harness.describe(svc)).isZero();
            System.out.printf("ResyncPostgresTest: pause %d ms, resync %d ms, journal %d bytes replayed%n",
                p.pauseMillis(), p.endedAtMillis() - p.startedAtMillis(), p.replayedBytes());
        }
    }

    /**
     * A pgbench client keeps its connection open (no {@code -C}) and writes without pause through the resync: it is
     * held once idle between two transactions, continued over a new connection to the restored replica, and compared
     * from there on.
     */
    @Test
    void pgbenchConnectionsKeptOpenUnderLoadAreContinued() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = start(primary, replica, Duration.ofSeconds(5))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            ManagedProcess.run(pgbench(port, "-i", "-q"), Duration.ofMinutes(3));
            Harness.awaitSettled(svc, WAIT);
            replica.stop();
            ManagedProcess.run(pgbench(port, "-n", "-C", "-c", "1", "-t", "50"), Duration.ofMinutes(3));
            replica.startAgain();
            Harness.await("STALE after missing writes", WAIT, () -> r.consistency().state() == State.STALE,
                () -> Harness.describe(svc));
            Harness.awaitSettled(svc, WAIT); // the copies of the sessions before are done
            int continued;
            long comparedBefore = r.stats().compared.sum();
            // copies of the sessions the replica missed can reach it once restarted empty, and diverge there
            // (counted while it is STALE, before the resync; 9 in one CI run under load): not this test's subject
            long divergentBefore = r.stats().divergent.sum();
            long sessionsBefore = svc.stats().sessions.sum();
            try (ManagedProcess load = ManagedProcess.start("pgbench", pgbench(port, "-n", "-c", "1", "-T", "20"),
                dir.resolve("pgbench-open.log"))) {
                // pgbench's first session reads the scale, then its client connects and writes. One client: two
                // sessions open across the restore are replayed one after the other, which reorders their
                // conflicting TPC-B writes (an account both updated reads another abalance on the replica: a real
                // divergence, reported; measured 2 of 5 runs with -c 2)
                Harness.await("the pgbench connection writes", WAIT, () -> svc.stats().sessions.sum()
                    >= sessionsBefore + 2 && svc.clientHold().talking() >= 1, () -> Harness.describe(svc));
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                Harness.await("the resync ended", WAIT, () -> r.consistency().resync().over(),
                    () -> Harness.describe(svc) + " " + r.consistency().resync().phase());
                assertThat(r.consistency().state()).as(() -> r.consistency().reason()).isEqualTo(State.IN_SYNC);
                continued = r.consistency().resync().continuedSessions();
                assertThat(continued).as("open connections continued (a client that had not written yet at the "
                    + "point is recorded whole instead)").isEqualTo(1);
                assertThat(load.process().waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as(load.tail()).isTrue();
                assertThat(load.process().exitValue()).as(load.tail()).isZero();
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(hashes(replica)).as(Harness.describe(svc)).isEqualTo(hashes(primary));
            assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            assertThat(r.stats().divergent.sum() - divergentBefore).as(Harness.describe(svc)).isZero();
            assertThat(r.stats().compared.sum() - comparedBefore).as("each continued copy compared")
                .isGreaterThanOrEqualTo(continued);
            ResyncProgress p = r.consistency().resync();
            System.out.printf("ResyncPostgresTest: %d open pgbench connection(s) continued; pause %d ms, resync %d ms, "
                + "journal %d bytes replayed%n", continued, p.pauseMillis(), p.endedAtMillis() - p.startedAtMillis(),
                p.replayedBytes());
        }
    }

    @Test
    void aJdbcConnectionLeftOpenThatHoldsServerStateFailsTheResyncAndTheClientsAreReleased() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = start(primary, replica, Duration.ofMillis(500))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            String url = "jdbc:postgresql://127.0.0.1:" + mb.port("pg") + "/postgres?user=postgres&sslmode=disable";
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY)");
                s.execute("INSERT INTO t VALUES (1)");
                // a Statement's SET goes over the extended protocol (Parse/Bind/Execute): not replayed, session state
                // (the SET pgjdbc itself runs at connect is a simple Query: replayed, ResyncPostgresSetTest)
                s.execute("SET statement_timeout = 0");
                assertThat(mb.resyncs().start(svc, r, true, "test")).isNull();
                Harness.await("STALE: a session stayed open", WAIT, () -> r.consistency().state() == State.STALE,
                    () -> Harness.describe(svc));
                assertThat(r.consistency().reason()).contains("1 PostgreSQL session(s) could not be continued at "
                    + "maxPause: 1 session(s) hold server state (session SET: 1)");
                s.execute("INSERT INTO t VALUES (2)"); // not held: it goes on
                try (Connection c2 = DriverManager.getConnection(url); Statement s2 = c2.createStatement();
                     ResultSet rs = s2.executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the service goes on after the failed attempt").isEqualTo(2);
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.stats().resyncFailures.sum()).isEqualTo(1);
        }
    }
}
