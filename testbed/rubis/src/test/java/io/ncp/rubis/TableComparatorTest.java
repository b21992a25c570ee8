package io.ncp.rubis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.rubis.cli.Databases;
import io.ncp.rubis.cli.RubisMain;
import io.ncp.rubis.compare.TableComparator;
import io.ncp.rubis.compare.TableDiff;
import io.ncp.rubis.schema.Schema;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Load, run and compare against a real MariaDB: two databases on one server play primary and replica.
 * Same seed = equal state; a workload on one of them only = differences the comparator must report
 * (positive control: the comparison can fail).
 */
class TableComparatorTest {

    private static MariaDbTestServer server;

    @BeforeAll
    static void start() {
        server = MariaDbTestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int load(String database) {
        return RubisMain.execute("load", "--db", server.hostPort(), "--database", database, "--users", "300",
            "--items", "500", "--seed", "3");
    }

    @Test
    void sameSeedGivesEqualStateAndAWorkloadOnOneSideIsReported() throws Exception {
        assertThat(load("rubis_a")).isZero();
        assertThat(load("rubis_b")).isZero();
        try (Connection a = Databases.connect(server.hostPort(), "rubis_a", "rubis", false);
             Connection b = Databases.connect(server.hostPort(), "rubis_b", "rubis", false)) {
            for (var t : Schema.TABLES) {
                TableDiff d = TableComparator.compare(t, a, b);
                assertThat(d.stateEqual()).as(t.name()).isTrue();
                assertThat(d.strictEqual()).as(t.name()).isTrue();
                assertThat(d.primaryRows()).isEqualTo(d.replicaRows());
            }
            assertThat(TableComparator.compare(Schema.table("items"), a, b).primaryRows()).isEqualTo(500);

            int rc = RubisMain.execute("run", "--db", server.hostPort(), "--database", "rubis_a", "--clients", "4",
                "--duration", "2", "--warmup", "0", "--run-tag", "t1");
            assertThat(rc).isZero();
            TableDiff bids = TableComparator.compare(Schema.table("bids"), a, b);
            assertThat(bids.stateEqual()).isFalse();
            assertThat(bids.onlyPrimary()).isPositive();
            assertThat(bids.onlyReplica()).isZero();
            assertThat(bids.strictEqual()).isFalse();
            assertThat(bids.strictOnlyPrimary()).isPositive();
        }
    }

    @Test
    void rowsDifferingOnlyByIdAreCountedButEqual() throws Exception {
        assertThat(load("rubis_c")).isZero();
        assertThat(load("rubis_d")).isZero();
        try (Connection c = Databases.connect(server.hostPort(), "rubis_c", "rubis", false);
             Connection d = Databases.connect(server.hostPort(), "rubis_d", "rubis", false);
             Statement sc = c.createStatement(); Statement sd = d.createStatement()) {
            String x = "INSERT INTO bids VALUES (NULL, 1, 1, 1, 10, 11, NOW())";
            String y = "INSERT INTO bids VALUES (NULL, 2, 2, 1, 20, 21, NOW())";
            sc.execute(x);
            sc.execute(y);
            sd.execute(y);
            sd.execute(x);
            TableDiff diff = TableComparator.compare(Schema.table("bids"), c, d);
            assertThat(diff.stateEqual()).isTrue();
            assertThat(diff.idOnlyRows()).isEqualTo(2);
            // strictly, the two rows sit under swapped ids: both sides have two rows the other lacks
            assertThat(diff.strictEqual()).isFalse();
            assertThat(diff.strictOnlyPrimary()).isEqualTo(2);
            assertThat(diff.strictOnlyReplica()).isEqualTo(2);
        }
    }
}
