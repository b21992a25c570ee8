package io.ncp.middlebox.it;

import static io.ncp.middlebox.it.ResyncPostgresIdleTest.WAIT;
import static io.ncp.middlebox.it.ResyncPostgresIdleTest.assertInSyncAndEqual;
import static io.ncp.middlebox.it.ResyncPostgresIdleTest.awaitResyncEnded;
import static io.ncp.middlebox.it.ResyncPostgresIdleTest.createTable;
import static io.ncp.middlebox.it.ResyncPostgresIdleTest.makeStale;
import static io.ncp.middlebox.it.ResyncPostgresIdleTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress.Phase;
import io.ncp.middlebox.service.ServiceRuntime;
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
 * Online resync of a STALE PostgreSQL replica while sessions that ran plain session SETs stay open, with real servers
 * and the recipe's hooks ({@link PgResyncFixture}): such a session is continued over a new connection to the restored
 * replica, its SETs replayed there after the login (their answers swallowed), then its later requests. A SET the
 * primary refused is not replayed; a replayed SET the restored replica refuses leaves it STALE with the reason.
 */
@ExtendWith(NettyLeakExtension.class)
class ResyncPostgresSetTest {

    @TempDir
    Path dir;

    /** Schema app with a table t of its own (unlike public.t), created through the middlebox. */
    private static void createAppSchema(int port, ServiceRuntime svc) throws Exception {
        try (PgWire w = new PgWire(port)) {
            ok(w.query("CREATE SCHEMA app"));
            ok(w.query("CREATE TABLE app.t (id int PRIMARY KEY, v text)"));
        }
        Harness.awaitSettled(svc, WAIT);
    }

    /**
     * A default pgjdbc connection runs {@code SET application_name = 'PostgreSQL JDBC Driver'} right after connecting
     * (pgjdbc 42.7 with a PostgreSQL 12 or later server; before 12 it also sets extra_float_digits, in the same Query):
     * left open across the resync, it is continued, and its later answers (application_name's value included: a copy
     * without the SET replayed would answer '' and diverge) compare equal.
     */
    @Test
    void aDefaultJdbcConnectionLeftOpenIsContinuedWithItsSetsReplayed() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&sslmode=disable";
            long comparedBefore;
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (2, 'jdbc before')");
                makeStale(port, svc, r, primary, replica, 3);
                comparedBefore = r.stats().compared.sum();
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).as(() -> r.consistency().reason()).isEqualTo(State.IN_SYNC);
                assertThat(r.consistency().resync().continuedSessions()).isEqualTo(1);
                st.executeUpdate("INSERT INTO t VALUES (4, 'jdbc after')");
                try (ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), count(*) FROM t")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("PostgreSQL JDBC Driver");
                    assertThat(rs.getInt(2)).isEqualTo(4);
                }
            }
            assertInSyncAndEqual(svc, r, primary, replica, comparedBefore);
        }
    }

    /**
     * {@code SET search_path = app} (after a SET the primary refused, which must not be replayed): continued, the
     * session's unqualified INSERT lands in app.t on the replica too.
     */
    @Test
    void aSearchPathSetIsReplayedSoUnqualifiedWritesLandInTheSchemaOnTheReplica() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10))) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            createAppSchema(port, svc);
            long comparedBefore;
            try (PgWire a = new PgWire(port)) {
                List<PgWire.Message> refused = a.query("SET work_mem = 'lots'");
                assertThat(refused).anyMatch(m -> m.type() == 'E');
                assertThat(ok(a.query("SET search_path = app, public"))).isEqualTo('I');
                ok(a.query("INSERT INTO t VALUES (1, 'app before')"));
                makeStale(port, svc, r, primary, replica, 3);
                comparedBefore = r.stats().compared.sum();
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().state()).as(() -> r.consistency().reason() + " " + r.consistency()
                    .history()).isEqualTo(State.IN_SYNC);
                assertThat(r.consistency().resync().continuedSessions()).isEqualTo(1);
                ok(a.query("INSERT INTO t VALUES (10, 'app after')"));
                assertThat(a.value("SELECT count(*) FROM app.t")).isEqualTo("2");
            }
            assertInSyncAndEqual(svc, r, primary, replica, comparedBefore);
            assertThat(replica.tableHash("app.t", "id")).isEqualTo(primary.tableHash("app.t", "id"));
            assertThat(replica.tableHash("app.t", "id")).startsWith("2:");
            assertThat(replica.tableHash("public.t", "id")).startsWith("2:"); // rows 1 and 3: nothing after
        }
    }

    /**
     * The restore hook drops the text search configuration a continued session's SET names: the replayed SET fails
     * on the restored replica, which stays STALE with the reason, never IN_SYNC.
     */
    @Test
    void aReplayedSetTheRestoredReplicaRefusesLeavesItStaleWithTheReason() throws Exception {
        String drop = "psql $R -X -q -d postgres -c 'DROP TEXT SEARCH CONFIGURATION public.mycfg'";
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = new PgResyncFixture(dir).start(primary, replica, Duration.ofSeconds(10), drop)) {
            ServiceRuntime svc = mb.service("pg");
            ReplicaTarget r = svc.replicas().get(0);
            int port = mb.port("pg");
            createTable(port, svc, primary, replica);
            try (PgWire w = new PgWire(port)) {
                ok(w.query("CREATE TEXT SEARCH CONFIGURATION public.mycfg (COPY = pg_catalog.simple)"));
            }
            try (PgWire a = new PgWire(port)) {
                ok(a.query("SET default_text_search_config = 'public.mycfg'"));
                makeStale(port, svc, r, primary, replica, 3);
                assertThat(mb.resyncs().start(svc, r, false, "test: missed writes")).isNull();
                awaitResyncEnded(svc, r);
                assertThat(r.consistency().resync().phase()).isEqualTo(Phase.FAILED);
                assertThat(r.consistency().state()).isEqualTo(State.STALE);
                assertThat(r.consistency().reason()).as(r.consistency().reason()).contains("resync failed")
                    .contains("replaying the continued session's SET failed").contains("mycfg");
                assertThat(r.consistency().history()).noneMatch(t -> t.to() == State.IN_SYNC
                    && t.atMillis() >= r.consistency().resync().startedAtMillis());
                assertThat(ok(a.query("INSERT INTO t VALUES (4, 'the client goes on')"))).isEqualTo('I');
            }
            assertThat(r.stats().resyncFailures.sum()).isEqualTo(1);
        }
    }
}
