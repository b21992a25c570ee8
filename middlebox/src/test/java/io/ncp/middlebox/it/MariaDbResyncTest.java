package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.HookCommand;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ResyncConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.SessionOrder;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.NettyLeakExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Divergence repair on MariaDB (issue 12): two inserts whose auto-increment ids swap on the replica make it STALE at
 * once, and with {@code autoResync} the middlebox resyncs it with the recipe of docs/resync.md (a logical dump of the
 * primary taken while the clients are held, loaded into the replica): afterwards every column is equal, ids included,
 * and later sessions through the middlebox compare equal. The replica has its own password (per-replica credentials):
 * the resync's replay authenticates with it.
 */
@ExtendWith(NettyLeakExtension.class)
class MariaDbResyncTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TABLE = "CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(32)) "
        + "ENGINE=InnoDB; CREATE TABLE d.gate (id INT PRIMARY KEY, v VARCHAR(32)) ENGINE=InnoDB; "
        + "INSERT INTO d.gate VALUES (1, 'first');";

    @TempDir
    Path dir;

    private HookCommand hook(String name, String... lines) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "set -e\n" + String.join("\n", lines) + "\n");
        return HookCommand.command(List.of("sh", script.toString()));
    }

    @Test
    void swappedIdsMakeTheReplicaStaleAndTheAutomaticResyncMakesItIdentical() throws Exception {
        try (AuthMariaDb primary = new AuthMariaDb("primary-secret");
             AuthMariaDb replica = new AuthMariaDb("replica-secret")) {
            for (AuthMariaDb m : List.of(primary, replica)) {
                m.root(TABLE);
            }
            Path dump = dir.resolve("d.sql");
            // the recipe of docs/resync.md, over root's sockets instead of NCP_PRIMARY_HOST/PORT with a dump user
            HookCommand snapshot = hook("snapshot.sh", "mariadb-dump --no-defaults -S " + primary.socket()
                + " -u root --single-transaction --routines --databases d > " + dump + ".tmp", "mv " + dump + ".tmp "
                + dump);
            HookCommand restore = hook("restore.sh", "R='--no-defaults -S " + replica.socket() + " -u root'",
                "sleep 3", "mariadb $R -e 'DROP DATABASE IF EXISTS d'", "mariadb $R < " + dump);
            ResyncConfig resync = new ResyncConfig(snapshot, restore, Duration.ofMillis(20), Duration.ofSeconds(20),
                Duration.ofSeconds(120), Duration.ofSeconds(1), true);
            ServiceConfig cfg = AuthServers.service("maria", Protocol.MYSQL, primary.hostPort(),
                List.of(replica.hostPort()), List.of(AuthServers.auth("app", AuthServers.passwordFile(dir, "r",
                    replica.password)))).withSessionOrder(SessionOrder.NONE).withResync(resync);
            try (Middlebox mb = Middlebox.start(Harness.config(ReplicaLoop.SEPARATE, cfg).withJournal(
                new JournalConfig(dir.resolve("journal"), 1L << 30, FsyncPolicy.NEVER)))) {
                ServiceRuntime svc = mb.service("maria");
                ReplicaTarget r = svc.replicas().get(0);
                int port = mb.port("maria");
                Process holder = replica.rootSession();
                try {
                    // on the replica only, hold the gate row: session A's INSERT ... SELECT waits there, so B's
                    // insert takes id 1 on the replica (2 on the primary)
                    AuthMariaDb.feed(holder, "BEGIN; SELECT id FROM d.gate WHERE id = 1 FOR UPDATE;");
                    Harness.await("the replica's gate lock", WAIT, () -> replica.openTransactions() == 1,
                        () -> String.valueOf(replica.openTransactions()));
                    AuthMariaDb.client(port, primary.password, "INSERT INTO t (v) SELECT v FROM gate WHERE id = 1 "
                        + "LOCK IN SHARE MODE");
                    Harness.await("session A waiting on the replica", WAIT, () -> replica.runningStatements() == 1,
                        () -> "rows " + replica.root("SELECT COUNT(*) FROM d.t") + "; " + replica.processes() + "; "
                            + Harness.describe(svc));
                    AuthMariaDb.client(port, primary.password, "INSERT INTO t (v) VALUES ('second')");
                    Harness.await("the replica STALE: B's insert id differs", WAIT,
                        () -> r.stats().divergent.sum() >= 1, () -> Harness.describe(svc));
                    AuthMariaDb.feed(holder, "COMMIT;");
                } finally {
                    holder.getOutputStream().close();
                    holder.waitFor(30, TimeUnit.SECONDS);
                    holder.destroy();
                }
                // sessions during the restore are recorded whole and replayed after it (with the replica's own
                // credentials, not the client's handshake for the primary's scramble)
                int during = 0;
                Harness.await("the resync started", WAIT, () -> r.stats().autoResyncs.sum() >= 1,
                    () -> Harness.describe(svc));
                // until the resync is over (bounded): under load the first sessions can all end before its hold
                while (!r.consistency().resync().over() && during < 400) {
                    AuthMariaDb.client(port, primary.password, "INSERT INTO t (v) VALUES ('during" + during + "')");
                    during++;
                }
                Harness.await("the automatic resync ended IN_SYNC", WAIT, () -> r.stats().autoResyncs.sum() >= 1
                    && r.consistency().state() == State.IN_SYNC, () -> r.consistency().state() + " "
                    + r.consistency().reason() + " " + r.consistency().resync().phase() + "; " + Harness.describe(svc));
                assertThat(during).as("sessions during the resync").isPositive();
                assertThat(r.consistency().resync().replayedBytes()).as(during + " sessions during the resync; "
                    + Harness.describe(svc)).isPositive();
                assertThat(r.stats().resyncFailures.sum()).as(Harness.describe(svc)).isZero();
                assertThat(r.stats().autoResyncs.sum()).as(Harness.describe(svc)).isEqualTo(1);
                System.out.printf("MariaDbResyncTest: %d sessions during the resync, pause %d ms, %d journal bytes "
                    + "replayed%n", during, r.consistency().resync().pauseMillis(),
                    r.consistency().resync().replayedBytes());
                assertThat(primary.root("SELECT id, v FROM d.t WHERE id <= 2 ORDER BY id"))
                    .isEqualTo("1\tfirst\n2\tsecond");
                assertThat(replica.tableHash("t", "id, v")).isEqualTo(primary.tableHash("t", "id, v"));

                long divergent = r.stats().divergent.sum();
                for (int i = 0; i < 10; i++) {
                    AuthMariaDb.client(port, primary.password, "INSERT INTO t (v) VALUES ('after" + i + "'); "
                        + "SELECT LAST_INSERT_ID(), COUNT(*) FROM t;");
                }
                Harness.awaitSettled(svc, WAIT);
                assertThat(replica.tableHash("t", "id, v")).isEqualTo(primary.tableHash("t", "id, v"));
                assertThat(replica.tableHash("t", "id, v")).startsWith((12 + during) + "\t");
                assertThat(r.stats().divergent.sum()).as(Harness.describe(svc)).isEqualTo(divergent);
                assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            }
        }
    }
}
