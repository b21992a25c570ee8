package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Redis replica restarted empty between two probes while no connection to it is open: nothing refused and nothing
 * was reset, so only its new {@code run_id} tells. The replica is STALE at the next probe, not IN_SYNC with half the
 * keys; an unchanged run id over many probes changes nothing.
 */
@ExtendWith(NettyLeakExtension.class)
class RestartIdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aReplicaRestartedBetweenProbesWithNoConnectionOpenIsStale() {
        // probes every 3 s: the restart (a few ms) falls between two of them; promote off (the primary stays)
        FailoverConfig probes = new FailoverConfig(Duration.ofSeconds(3), Duration.ofSeconds(1), 3, null, null, false,
            List.of(), null, FailoverConfig.DEFAULT_HOLD);
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Middlebox.start(Harness.config(ReplicaLoop.SHARED, Harness.service("redis",
                 primary.hostPort(), CompareMode.BYTES, 64L << 20, replica.hostPort()).withProtocol(Protocol.REDIS)
                 .withFailover(probes)))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 50; i++) {
                    assertThat(c.call("SET", "k" + i, "v")).isEqualTo("OK");
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(replica.digest()).isEqualTo(primary.digest());
            long seen = r.stats().identityChecks.sum();
            Harness.await("two run id checks", WAIT, () -> r.stats().identityChecks.sum() >= seen + 2,
                () -> Harness.describe(svc));
            assertThat(r.consistency().state()).as("same run id: nothing changes").isEqualTo(State.IN_SYNC);

            long checked = r.stats().identityChecks.sum();
            Harness.await("a check just done", WAIT, () -> r.stats().identityChecks.sum() > checked,
                () -> Harness.describe(svc));
            long before = r.stats().identityChecks.sum();
            // right after a probe: the restart (~50 ms) is over long before the next one, which connects fine
            replica.restartEmpty(); // kill -9, a new empty server on the same port, no session open
            Harness.await("STALE after the next check", WAIT, () -> r.consistency().state() == State.STALE,
                () -> Harness.describe(svc));
            assertThat(r.consistency().reason()).contains("run_id changed").contains("restarted unseen");
            assertThat(r.stats().identityChecks.sum()).isGreaterThan(before);
            assertThat(r.stats().connectFailures.sum()).as("no refusal was seen: the run id told")
                .isZero();
            assertThat(replica.dbSize()).isZero();
        }
    }
}
