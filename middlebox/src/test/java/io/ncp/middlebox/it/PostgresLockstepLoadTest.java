package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * pgbench through a lockstep {@code protocol: postgres} middlebox with one replica: {@code pgbench -i} (COPY FROM
 * STDIN), then two clients with the extended and the prepared query protocols. Every answer reaches its client only
 * once the replica produced the same reply, whatever its length (pgbench_history's CURRENT_TIMESTAMP, per-server
 * BackendKeyData): no replica is dropped, no session diverges, the tables end equal.
 *
 * <p>The built-in simple-update script ({@code -N}) is used: TPC-B-like's UPDATE of the one pgbench_branches row makes
 * two clients take the same row lock, which a replica may grant in the other order, and in lockstep each client then
 * waits for the other's lock on another server (see request-aware.md, Limits).
 */
@ExtendWith(NettyLeakExtension.class)
class PostgresLockstepLoadTest {

    @Test
    void pgbenchWithTwoClientsExtendedAndPreparedInLockstep() {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = Harness.start(PostgresRequestAwareTest.postgres("lockstep", primary, replica))) {
            int port = mb.port("pg");
            pgbench(port, "-i", "-q");
            pgbench(port, "-c", "2", "-t", "200", "-n", "-N", "-M", "extended");
            pgbench(port, "-c", "2", "-t", "200", "-n", "-N", "-M", "prepared");
            ServiceRuntime svc = mb.service("pg");
            Harness.awaitSettled(svc, Duration.ofSeconds(90));

            for (String[] t : new String[][] {{"pgbench_accounts", "aid"}, {"pgbench_tellers", "tid"},
                {"pgbench_branches", "bid"}}) { // (pgbench_history has each server's own mtime)
                assertThat(replica.tableHash(t[0], t[1])).as(t[0]).isEqualTo(primary.tableHash(t[0], t[1]));
            }
            assertThat(primary.tableHash("pgbench_history", "mtime")).startsWith("800:");
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
            assertThat(svc.stats().protocol.noisy.sum()).as("the history INSERT's CURRENT_TIMESTAMP")
                .isGreaterThanOrEqualTo(800);
            assertThat(svc.replicas().get(0).consistency().inSync()).isTrue();
        }
    }

    private static void pgbench(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require("pgbench", "postgresql").toString(), "-h",
            "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        String out = ManagedProcess.run(cmd, Duration.ofMinutes(3));
        out.lines().filter(l -> l.startsWith("tps") || l.contains("latency average")).forEach(l -> System.out.println(
            "pgbench " + String.join(" ", args) + ": " + l));
    }
}
