package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.BackendTlsConfig;
import io.ncp.middlebox.config.ClientTlsConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.TlsConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.tls.TestPki;
import io.ncp.middlebox.tls.TlsPostgres;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL with {@code ssl = on} on both servers and {@code sslmode=require} at the client: the middlebox answers
 * the client's SSLRequest, terminates its TLS, sends its own SSLRequest to the primary and the replica and speaks
 * TLS to them; pgbench's tables must be equal and the answers too (BackendKeyData masked).
 */
@ExtendWith(NettyLeakExtension.class)
class TlsPostgresTest {

    @Test
    void pgbenchWithSslmodeRequireEndToEndLeavesTheReplicaIdentical() {
        try (TestPki pki = new TestPki()) {
            TestPki.Pair ca = pki.ca("pg-ca");
            TestPki.Pair front = pki.leaf(ca, "middlebox");
            try (TlsPostgres primary = new TlsPostgres(pki.leaf(ca, "primary"));
                 TlsPostgres replica = new TlsPostgres(pki.leaf(ca, "replica"));
                 Middlebox mb = Harness.start(Harness.service("pg", primary.hostPort(), CompareMode.POSTGRES,
                     256L << 20, replica.hostPort()).withTls(new TlsConfig(new ClientTlsConfig(front.cert(),
                     front.key(), null), new BackendTlsConfig(ca.cert(), null, null, null, false), Map.of())))) {
                String conn = "host=127.0.0.1 port=" + mb.port("pg") + " user=postgres dbname=postgres "
                    + "sslmode=verify-ca sslrootcert=" + ca.cert();
                pgbench(conn, "-i", "-q", "-s", "1");
                pgbench(conn, "-c", "1", "-t", "300", "-n");
                String ssl = psql(conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
                ServiceRuntime svc = mb.service("pg");
                Harness.awaitSettled(svc, Duration.ofSeconds(60));

                assertThat(ssl).as("the primary saw TLS from the middlebox").isEqualTo("t");
                for (String[] t : new String[][] {{"pgbench_accounts", "aid"}, {"pgbench_tellers", "tid"},
                    {"pgbench_branches", "bid"}}) { // (pgbench_history has now() in it)
                    assertThat(replica.tableHash(t[0], t[1])).as(t[0]).isEqualTo(primary.tableHash(t[0], t[1]));
                }
                assertThat(primary.tableHash("pgbench_accounts", "aid")).startsWith("100000:");
                ReplicaStats rs = svc.replicas().get(0).stats();
                assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
                assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
                assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
                assertThat(svc.tls().clientHandshakes.sum()).isEqualTo(svc.stats().sessions.sum()).isPositive();
                assertThat(svc.tls().backendFailures.sum()).isZero();
            }
        }
    }

    private static void pgbench(String conn, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require("pgbench", "postgresql").toString()));
        cmd.addAll(List.of(args));
        cmd.add(conn);
        ManagedProcess.run(cmd, Duration.ofMinutes(3));
    }

    private static String psql(String conn, String sql) {
        return ManagedProcess.run(List.of(Binaries.require("psql", "postgresql-client").toString(), "-X", "-A", "-t",
            "-c", sql, conn), Duration.ofMinutes(1)).strip();
    }
}
