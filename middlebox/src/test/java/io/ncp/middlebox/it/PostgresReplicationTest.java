package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pgbench through the middlebox to a primary and a replica; table contents must match. */
@ExtendWith(NettyLeakExtension.class)
class PostgresReplicationTest {

    @Test
    void pgbenchLeavesTheReplicaIdenticalToThePrimary() {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = Harness.start(Harness.service("pg", primary.hostPort(), CompareMode.POSTGRES, 256L << 20,
                 replica.hostPort()))) {
            int port = mb.port("pg");
            pgbench(port, "-i", "-q");
            pgbench(port, "-c", "1", "-t", "500", "-n");
            ServiceRuntime svc = mb.service("pg");
            Harness.awaitSettled(svc, Duration.ofSeconds(60));

            for (String[] t : new String[][] {{"pgbench_accounts", "aid"}, {"pgbench_tellers", "tid"},
                {"pgbench_branches", "bid"}}) {
                String p = primary.tableHash(t[0], t[1]);
                assertThat(replica.tableHash(t[0], t[1])).as(t[0]).isEqualTo(p);
            }
            assertThat(primary.tableHash("pgbench_accounts", "aid")).startsWith("100000:");
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
            // BackendKeyData (random pid/secret) is masked: identical servers give identical answer streams
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
        }
    }

    private static void pgbench(int port, String... args) {
        String bin = Binaries.require("pgbench", "postgresql").toString();
        List<String> cmd = new ArrayList<>(List.of(bin, "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
            "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        ManagedProcess.run(cmd, Duration.ofMinutes(3));
    }
}
