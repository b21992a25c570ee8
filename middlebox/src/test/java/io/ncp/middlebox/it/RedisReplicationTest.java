package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** redis-benchmark through the middlebox to a primary and two replicas; DEBUG DIGESTs must match. */
@ExtendWith(NettyLeakExtension.class)
class RedisReplicationTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void redisBenchmarkLeavesBothReplicasIdenticalToThePrimary() {
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 r1.hostPort(), r2.hostPort()))) {
            benchmark(mb.port("redis"), "set,incr,lpush,hset", 20000);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            assertThat(primary.dbSize()).isGreaterThan(1000);
            assertThat(r1.digest()).isEqualTo(primary.digest());
            assertThat(r2.digest()).isEqualTo(primary.digest());
            for (int i = 0; i < 2; i++) {
                ReplicaStats rs = svc.replicas().get(i).stats();
                assertThat(rs.compared.sum()).as("compared sessions, replica %d", i)
                    .isEqualTo(svc.stats().sessions.sum());
                assertThat(rs.divergent.sum()).as("divergent, replica %d", i).isZero();
                assertThat(rs.damaged.sum()).as("damaged, replica %d", i).isZero();
                assertThat(rs.bytesSent.sum()).isEqualTo(svc.stats().bytesIn.sum());
            }
        }
    }

    @Test
    void divergenceCounterFiresForAReplicaThatStartedFromOtherData() {
        try (RedisServer primary = RedisServer.start(); RedisServer good = RedisServer.start();
             RedisServer bad = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 good.hostPort(), bad.hostPort()))) {
            try (RespClient c = bad.client()) {
                c.call("LPUSH", "mylist", "stale", "state"); // every LPUSH answer (list length) now differs
            }
            benchmark(mb.port("redis"), "lpush", 2000);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            assertThat(svc.replicas().get(1).stats().divergent.sum()).as(Harness.describe(svc)).isGreaterThan(0);
            assertThat(svc.replicas().get(0).stats().divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(good.digest()).isEqualTo(primary.digest());
            assertThat(bad.digest()).isNotEqualTo(primary.digest());
        }
    }

    @Test
    void fiftyConcurrentSessionsOfCommutingWritesConvergeAndLeaveNothingBehind() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.NONE, 64L << 20,
                 replica.hostPort()))) {
            // INCRs of different sessions interleave differently on each server, but they commute
            benchmark(mb.port("redis"), "incr", 20000, 50, 100);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);
            assertThat(svc.stats().sessions.sum()).isGreaterThanOrEqualTo(50);
            Harness.await("replica converged", SETTLE, () -> replica.digest().equals(primary.digest()),
                () -> Harness.describe(svc));
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.damaged.sum()).isZero();
            assertThat(rs.sessions.sum()).isEqualTo(svc.stats().sessions.sum());
            Harness.await("replica sides empty", SETTLE, () -> Harness.replicaSessions(mb) == 0, () -> "");
        }
    }

    static void benchmark(int port, String tests, int requests) {
        benchmark(port, tests, requests, 1, 10000);
    }

    static void benchmark(int port, String tests, int requests, int clients, int keyspace) {
        String bin = Binaries.require("redis-benchmark", "redis-tools").toString();
        String out = ManagedProcess.run(List.of(bin, "-h", "127.0.0.1", "-p", String.valueOf(port), "-c",
            String.valueOf(clients), "-n", String.valueOf(requests), "-r", String.valueOf(keyspace), "-t", tests,
            "-q"), Duration.ofMinutes(3));
        assertThat(out).contains("requests per second");
    }
}
