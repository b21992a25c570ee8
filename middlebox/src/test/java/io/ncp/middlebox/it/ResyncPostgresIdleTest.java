package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ResyncProgress.Phase;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online resync of a STALE PostgreSQL replica while client sessions stay open (a psql or a pool's connection left
 * open), with real servers ({@code initdb -A trust}) and the recipe's hooks ({@link PgResyncFixture}): a session idle
 * without server state at the snapshot point is held and continued over a new connection to the restored replica
 * (its StartupMessage replayed, its later answers compared); one in a transaction is waited for until it commits,
 * then continued; one that holds server state (a SET run inside a transaction block, a PREPARE) fails the resync with
 * the reason named. Sessions whose plain SETs are replayed: {@link ResyncPostgresSetTest}.
 */
@ExtendWith(NettyLeakExtension.class)
class ResyncPostgresIdleTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static String hash(PostgresServer s) {
        return s.tableHash("t", "id");
    }

    /** Creates table t with row 1 through the middlebox and waits until the replica has it too. */
    static void createTable(int port, ServiceRuntime svc, PostgresServer primary, PostgresServer replica)
            throws Exception {
        try (PgWire w = new PgWire(port)) {
            ok(w.query("CREATE TABLE t (id int PRIMARY KEY, v text)"));
            ok(w.query("INSERT INTO t VALUES (1, 'setup')"));
        }
        Harness.awaitSettled(svc, WAIT);
        assertThat(hash(replica)).isEqualTo(hash(primary));
    }

    /** The replica stops, misses row {@code id} written by a short session meanwhile, starts again: STALE. */
    static void makeStale(int port, ServiceRuntime svc, ReplicaTarget r, PostgresServer primary,
            PostgresServer replica, int id) throws Exception {
        replica.stop();
        try (PgWire w = new PgWire(port)) {
            ok(w.query("INSERT INTO t VALUES (" + id + ", 'missed by the replica')"));
        }
        replica.startAgain();
        Harness.await("STALE after missing a write", WAIT, () -> r.consistency().state() == State.STALE,
            () -> Harness.describe(svc));
        assertThat(hash(replica)).isNotEqualTo(hash(primary));
    }

    /** The ReadyForQuery status that ends {@code reply}, which must hold no ErrorResponse. */
    static char ok(List<PgWire.Message> reply) {
        for (PgWire.Message m : reply) {
            if (m.type() == 'E') {
                throw new IllegalStateException("query failed: " + m.text());
            }
        }
        PgWire.Message last = reply.get(reply.size() - 1);
        assertThat(last.type()).isEqualTo('Z');
        return (char) last.body()[0];
    }

    /** The DataRows of {@code reply} (which must hold no ErrorResponse). */
    private static long dataRows(List<PgWire.Message> reply) {
        ok(reply);
        return reply.stream().filter(m -> m.type() == 'D').count();
    }

    static void awaitResyncEnded(ServiceRuntime svc, ReplicaTarget r) {
        Harness.await("the resync ended", WAIT, () -> r.consistency().resync().over(),
            () -> Harness.describe(svc) + " " + r.consistency().resync().phase());
    }

    static void assertInSyncAndEqual(ServiceRuntime svc, ReplicaTarget r, PostgresServer primary,
            PostgresServer replica, long comparedBefore) {
        Harness.awaitSettled(svc, WAIT);
        assertThat(hash(replica)).as(Harness.describe(svc)).isEqualTo(hash(primary));
        assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
        assertThat(r.stats().divergent.sum()).as(Harness.describe(svc)).isZero();
        assertThat(r.stats().compared.sum()).as("the continued session's copy was compared when it closed")
            .isGreaterThan(comparedBefore);
    }

    @Test
    void anIdleSessionLeftOpenIsContinuedOnTheRestoredReplica() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            long comparedBefore;
            try (PgWire a = new PgWire(port)) {
                assertThat(ok(a.query("INSERT INTO t VALUES (2, 'a before')"))).isEqualTo('I');
                makeStale(port, svc, r, primary, replica, 3);
                comparedBefore = r.stats().compared.sum();

                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                Harness.await("the clients were released", WAIT, () -> {
                    Phase p = r.consistency().resync().phase();
                    return p != Phase.HOLDING && p != Phase.SNAPSHOT;
                }, () -> Harness.describe(svc));
                ok(a.query("INSERT INTO t VALUES (4, 'a during the restore')"));
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).as(() -> r.consistency().reason() + " " + r.consistency()
                    .history()).isEqualTo(State.IN_SYNC);

                ok(a.query("UPDATE t SET v = v || ' +a' WHERE id <= 4"));
                assertThat(dataRows(a.query("SELECT id, v FROM t ORDER BY id"))).isEqualTo(4);
                assertThat(ok(a.query("INSERT INTO t VALUES (5, 'a after')"))).isEqualTo('I');
            }
            assertInSyncAndEqual(svc, r, primary, replica, comparedBefore);
            ResyncProgress p = r.consistency().resync();
            assertThat(p.phase()).isEqualTo(Phase.DONE);
            assertThat(p.replayedBytes()).isEqualTo(p.journalBytes());
            assertThat(p.continuedSessions()).isEqualTo(1);
            System.out.printf("ResyncPostgresIdleTest: idle session continued; pause %d ms, resync %d ms, journal %d "
                + "bytes%n", p.pauseMillis(), p.endedAtMillis() - p.startedAtMillis(), p.journalBytes());
        }
    }

    /**
     * {@code protocol: postgres} (request-aware: its answers are compared per exchange): an idle session is continued
     * too, its copy uncompared (the framing cannot resume mid-session); the data ends equal.
     */
    @Test
    void anIdleSessionOfARequestAwarePostgresServiceIsContinuedUncompared() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).protocol(io.ncp.middlebox.config.Protocol.POSTGRES)
                 .start(primary, replica, Duration.ofSeconds(10))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            try (PgWire a = new PgWire(port)) {
                ok(a.query("INSERT INTO t VALUES (2, 'a before')"));
                makeStale(port, svc, r, primary, replica, 3);
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).as(() -> r.consistency().reason()).isEqualTo(State.IN_SYNC);
                assertThat(r.consistency().resync().continuedSessions()).isEqualTo(1);
                assertThat(ok(a.query("INSERT INTO t VALUES (4, 'a after')"))).isEqualTo('I');
                assertThat(a.value("SELECT count(*) FROM t")).isEqualTo("4");
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(hash(replica)).as(Harness.describe(svc)).isEqualTo(hash(primary));
            assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            assertThat(r.stats().divergent.sum()).as(Harness.describe(svc)).isZero();
        }
    }

    @Test
    void aJdbcConnectionWhoseParametersAreInItsStartupMessageIsContinued() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            // assumeMinServerVersion=9.0: pgjdbc sends extra_float_digits and application_name in the StartupMessage
            // instead of running SET at connect
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&sslmode=disable"
                + "&assumeMinServerVersion=9.0";
            long comparedBefore;
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (2, 'jdbc before')");
                makeStale(port, svc, r, primary, replica, 3);
                comparedBefore = r.stats().compared.sum();
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).as(() -> r.consistency().reason()).isEqualTo(State.IN_SYNC);
                st.executeUpdate("INSERT INTO t VALUES (4, 'jdbc after')");
                try (ResultSet rs = st.executeQuery("SELECT count(*), sum(id) FROM t")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(4);
                }
            }
            assertInSyncAndEqual(svc, r, primary, replica, comparedBefore);
        }
    }

    @Test
    void aSessionInATransactionAtThePointIsWaitedForUntilItCommitsThenContinued() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(30))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            long comparedBefore;
            try (PgWire b = new PgWire(port)) {
                makeStale(port, svc, r, primary, replica, 2);
                comparedBefore = r.stats().compared.sum();
                ok(b.query("BEGIN"));
                assertThat(ok(b.query("INSERT INTO t VALUES (10, 'b in a transaction')"))).isEqualTo('T');

                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                Harness.await("the clients are held", WAIT, () -> svc.clientHold().held(), () -> Harness.describe(svc));
                assertThat(r.consistency().resync().phase()).as("the point waits for the transaction")
                    .isEqualTo(Phase.HOLDING);
                assertThat(svc.clientHold().waiting().busy()).isEqualTo(1);
                assertThat(ok(b.query("COMMIT"))).as("not held: it ends its transaction").isEqualTo('I');

                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).as(() -> r.consistency().reason() + " " + r.consistency()
                    .history()).isEqualTo(State.IN_SYNC);
                ok(b.query("BEGIN"));
                ok(b.query("INSERT INTO t VALUES (11, 'b after')"));
                ok(b.query("UPDATE t SET v = v || ' +b' WHERE id = 10"));
                assertThat(ok(b.query("COMMIT"))).isEqualTo('I');
                assertThat(b.value("SELECT count(*) FROM t")).isEqualTo("4");
            }
            assertInSyncAndEqual(svc, r, primary, replica, comparedBefore);
            assertThat(r.consistency().resync().pauseMillis()).as("measured pause").isPositive();
        }
    }

    @Test
    void aContinuedSessionWhoseLoginTheRestoredReplicaRefusesLeavesItStaleWithTheReason() throws Exception {
        // the restore hook ends by forbidding the login the continued session's new connection uses
        String refuse = "psql $R -X -q -d postgres -c 'ALTER ROLE postgres NOLOGIN'";
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10), refuse)) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            try (PgWire a = new PgWire(port)) {
                ok(a.query("INSERT INTO t VALUES (2, 'a before')"));
                makeStale(port, svc, r, primary, replica, 3);
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().resync().phase()).isEqualTo(Phase.FAILED);
                assertThat(r.consistency().state()).isEqualTo(State.STALE);
                assertThat(r.consistency().reason()).as(r.consistency().reason()).contains("resync failed")
                    .contains("authentication failed").contains("not permitted to log in");
                assertThat(r.consistency().history()).noneMatch(t -> t.to() == State.IN_SYNC
                    && t.atMillis() >= r.consistency().resync().startedAtMillis());
                assertThat(ok(a.query("INSERT INTO t VALUES (4, 'the client goes on')"))).isEqualTo('I');
            }
            assertThat(r.stats().resyncFailures.sum()).isEqualTo(1);
        }
    }

    /**
     * The restored replica accepts connections but never answers the login (its postmaster stopped by the restore
     * hook): the continued session's copy has its whole journal on the connection at once, yet the replica must not
     * count as resynced before it accepted the login; the login's bound (the replica timeout) fails the resync.
     */
    @Test
    void aContinuedSessionWhoseLoginNeverCompletesNeverMakesTheReplicaInSync() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start()) {
            String data;
            try (Connection c = replica.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW data_directory")) {
                rs.next();
                data = rs.getString(1);
            }
            String postmaster = "$(head -1 '" + data + "/postmaster.pid')";
            try (Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10),
                    "kill -STOP " + postmaster, Duration.ofSeconds(3))) {
                ServiceRuntime svc = mb.service("pg");
                ReplicaTarget r = svc.replicas().get(0);
                int port = mb.port("pg");
                createTable(port, svc, primary, replica);
                try (PgWire a = new PgWire(port)) {
                    ok(a.query("INSERT INTO t VALUES (2, 'a before')"));
                    makeStale(port, svc, r, primary, replica, 3);
                    assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                    awaitResyncEnded(svc, r);
                    assertThat(r.consistency().history()).as(r.consistency().history().toString())
                        .noneMatch(t -> t.to() == State.IN_SYNC
                            && t.atMillis() >= r.consistency().resync().startedAtMillis());
                    assertThat(r.consistency().state()).isEqualTo(State.STALE);
                    assertThat(r.consistency().reason()).contains("resync failed")
                        .contains("authentication not complete");
                    assertThat(ok(a.query("INSERT INTO t VALUES (4, 'the client goes on')")))
                        .isEqualTo('I');
                }
            } finally {
                ManagedProcess.run(List.of("sh", "-c", "kill -CONT " + postmaster), Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void sessionsThatHoldServerStateFailTheResyncWithTheReasonNamed() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofMillis(1500))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            try (PgWire s1 = new PgWire(port); PgWire s2 = new PgWire(port)) {
                ok(s1.query("BEGIN")); // a SET inside a transaction block outlives it: state, not replayed
                ok(s1.query("SET application_name = 'pool-1'"));
                ok(s1.query("COMMIT"));
                ok(s2.query("PREPARE q AS SELECT count(*) FROM t"));
                makeStale(port, svc, r, primary, replica, 2);

                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).isEqualTo(State.STALE);
                assertThat(r.consistency().resync().phase()).isEqualTo(Phase.FAILED);
                assertThat(r.consistency().reason()).as(r.consistency().reason())
                    .contains("2 PostgreSQL session(s) could not be continued at maxPause")
                    .contains("2 session(s) hold server state (PREPARE: 1, session SET: 1)")
                    .contains("recycle the pool's connections");
                ok(s1.query("INSERT INTO t VALUES (3, 'released')"));
                assertThat(s2.value("EXECUTE q")).as("the clients go on").isEqualTo("3");
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.stats().resyncFailures.sum()).isEqualTo(1);
            assertThat(r.consistency().state()).isEqualTo(State.STALE);
        }
    }
}
