package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgbench through the middlebox to a password-protected primary and replicas with other passwords: the middlebox
 * answers each replica's SCRAM-SHA-256 or md5 challenge with the replica's own password.
 */
@ExtendWith(NettyLeakExtension.class)
class PostgresAuthTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void pgbenchWithScramAndMd5ReplicasOfOtherPasswordsLeavesEqualTables() {
        try (AuthPostgres primary = new AuthPostgres("scram-sha-256", "primary-secret");
             AuthPostgres scram = new AuthPostgres("scram-sha-256", "scram-replica-secret");
             AuthPostgres md5 = new AuthPostgres("md5", "md5-replica-secret");
             Middlebox mb = Harness.start(AuthServers.service("pg", Protocol.POSTGRES, primary.hostPort(),
                 List.of(scram.hostPort(), md5.hostPort()), List.of(
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "scram", scram.password)),
                     AuthServers.auth("postgres", AuthServers.passwordFile(dir, "md5", md5.password)))))) {
            assertThat(md5.passwordType()).isEqualTo("md5");
            assertThat(scram.passwordType()).isEqualTo("SCR");
            int port = mb.port("pg");
            AuthPostgres.pgbench(port, primary.password, "-i", "-q");
            AuthPostgres.pgbench(port, primary.password, "-c", "1", "-t", "300", "-n");
            ServiceRuntime svc = mb.service("pg");
            Harness.awaitSettled(svc, SETTLE);

            for (String[] t : new String[][] {{"pgbench_accounts", "aid"}, {"pgbench_tellers", "tid"},
                {"pgbench_branches", "bid"}}) { // (pgbench_history has each server's own mtime)
                String p = primary.tableHash(t[0], t[1]);
                assertThat(scram.tableHash(t[0], t[1])).as(t[0]).isEqualTo(p);
                assertThat(md5.tableHash(t[0], t[1])).as(t[0]).isEqualTo(p);
            }
            assertThat(primary.tableHash("pgbench_accounts", "aid")).startsWith("100000:");
            assertThat(md5.tableHash("pgbench_history", "mtime")).startsWith("300:");
            for (int i = 0; i < 2; i++) {
                ReplicaStats rs = svc.replicas().get(i).stats();
                assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
                assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
                assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
                assertThat(svc.replicas().get(i).health().state()).isEqualTo(BackendHealth.State.UP);
                assertThat(svc.replicas().get(i).consistency().state()).isEqualTo(ReplicaConsistency.State.IN_SYNC);
            }
        }
    }

    @Test
    void aWrongReplicaPasswordMakesThatReplicaDownWithTheServersReason() {
        try (AuthPostgres primary = new AuthPostgres("scram-sha-256", "primary-secret");
             AuthPostgres replica = new AuthPostgres("scram-sha-256", "replica-secret");
             Middlebox mb = Harness.start(AuthServers.service("pg", Protocol.POSTGRES, primary.hostPort(),
                 List.of(replica.hostPort()), List.of(
                     AuthServers.auth(null, AuthServers.passwordFile(dir, "bad", "not-the-secret")))))) {
            AuthPostgres.pgbench(mb.port("pg"), primary.password, "-i", "-q");
            ServiceRuntime svc = mb.service("pg");
            Harness.awaitSettled(svc, SETTLE);

            assertThat(primary.tableHash("pgbench_branches", "bid")).startsWith("1:");
            ReplicaTarget r = svc.replicas().get(0);
            assertThat(r.health().state()).as(Harness.describe(svc)).isEqualTo(BackendHealth.State.DOWN);
            assertThat(r.health().reason()).startsWith("authentication failed: password authentication failed")
                .contains("28P01");
            assertThat(r.consistency().state()).isEqualTo(ReplicaConsistency.State.STALE);
        }
    }
}
