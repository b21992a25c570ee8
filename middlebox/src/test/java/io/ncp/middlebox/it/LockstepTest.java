package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** mode: lockstep with real Redis: correct answers and identical replicas; a stalled replica is dropped. */
@ExtendWith(NettyLeakExtension.class)
class LockstepTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void redisBenchmarkInLockstepLeavesReplicasIdentical() {
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start();
             Middlebox mb = Harness.start(lockstep("redis", primary.hostPort(), r1.hostPort(), r2.hostPort()))) {
            RedisReplicationTest.benchmark(mb.port("redis"), "set,incr,lpush,hset", 5000);
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, WAIT);
            assertThat(r1.digest()).isEqualTo(primary.digest());
            assertThat(r2.digest()).isEqualTo(primary.digest());
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            for (int i = 0; i < 2; i++) {
                ReplicaStats rs = svc.replicas().get(i).stats();
                assertThat(rs.compared.sum()).isEqualTo(svc.stats().sessions.sum());
                assertThat(rs.divergent.sum()).isZero();
            }
        }
    }

    @Test
    void aReplicaThatNeverAnswersIsDroppedAndTheClientGetsItsAnswers() {
        try (RedisServer primary = RedisServer.start(); StallServer stalled = new StallServer();
             Middlebox mb = Harness.start(lockstep("redis", primary.hostPort(), stalled.hostPort()))) {
            ServiceRuntime svc = mb.service("redis");
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "k", "v")).isEqualTo("OK"); // held until the replica is dropped
                assertThat(c.call("GET", "k")).isEqualTo("v"); // the replica is out of this session: no wait
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.replicas().get(0).stats().lagging.sum()).isEqualTo(1);
        }
    }

    private static ServiceConfig lockstep(String name, String primary, String... replicas) {
        List<ReplicaConfig> reps = new ArrayList<>();
        for (String r : replicas) {
            reps.add(ReplicaConfig.parse("replica", r));
        }
        return new ServiceConfig(name, new HostPort("127.0.0.1", 0), HostPort.parse("primary", primary), "lockstep",
            CompareMode.BYTES, 64L << 20, reps);
    }
}
