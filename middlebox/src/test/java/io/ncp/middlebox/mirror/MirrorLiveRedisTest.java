package io.ncp.middlebox.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.MirrorConfig;
import io.ncp.middlebox.config.ReplicaConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.middlebox.view.StatsView;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live mirror mode on {@code lo}: redis-benchmark talks to the primary directly; the middlebox captures the primary's
 * port and replays every session to a replica, which must end with the primary's DEBUG DIGEST. Needs root (capture).
 */
@ExtendWith(NettyLeakExtension.class)
class MirrorLiveRedisTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void redisBenchmarkAgainstThePrimaryLeavesTheReplicaIdentical() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            ServiceConfig svc = ConfigLoader.mirroredService("test", "redis", HostPort.parse("p", primary.hostPort()),
                null, "bytes", 64L << 20, List.of(ReplicaConfig.parse("replica", replica.hostPort())));
            // the test's own probes of the primary come from 127.0.0.2 and are not captured
            String filter = "tcp port " + primary.port() + " and not host " + UncapturedProbe.SOURCE;
            MirrorConfig mc = new MirrorConfig("lo", null, filter, MirrorConfig.DEFAULT_SNAPLEN,
                MirrorConfig.DEFAULT_BUFFER_BYTES, 1 << 20, MirrorConfig.DEFAULT_IDLE_TIMEOUT,
                MirrorConfig.DEFAULT_DRAIN_TIMEOUT);
            UncapturedProbe probe = new UncapturedProbe(primary.port());
            try (Middlebox mb = Middlebox.start(new MiddleboxConfig(2, 4096, 64L << 20, null, Duration.ZERO,
                    ReplicaLoop.SHARED, Duration.ofSeconds(2), null, List.of(svc)));
                 MirrorFrontend front = MirrorFrontend.start(mb, mc, MirrorFrontend.openInput(mc, List.of(svc)))) {
                long before = probe.otherConnections(); // RedisServer's own readiness checks, made before capturing
                String bin = Binaries.require("redis-benchmark", "redis-tools").toString();
                String out = ManagedProcess.run(List.of(bin, "-h", "127.0.0.1", "-p", String.valueOf(primary.port()),
                    "-c", "1", "-r", "10000", "-n", "20000", "-t", "set,incr,lpush,hset", "-q"),
                    Duration.ofMinutes(3));
                assertThat(out).contains("requests per second");

                ServiceRuntime rt = mb.service("redis");
                long benchmarkSessions = probe.otherConnections() - before;
                Harness.await("every benchmark session mirrored and settled", SETTLE,
                    () -> rt.stats().sessions.sum() >= benchmarkSessions && rt.settled(),
                    () -> StatsView.json(mb).toString());
                front.close(); // capture off: the digest probes below are not mirrored (DEBUG is refused from .2)
                String primaryDigest = primary.digest();
                Harness.await("replica converged", SETTLE, () -> replica.digest().equals(primaryDigest),
                    () -> StatsView.json(mb).toString());
                System.out.println("mirror live stats: " + StatsView.json(mb));

                assertThat(primary.dbSize()).isGreaterThan(1000);
                assertThat(replica.digest()).isEqualTo(primaryDigest);
                ReplicaStats rs = rt.replicas().get(0).stats();
                assertThat(rt.stats().sessions.sum()).isEqualTo(benchmarkSessions);
                assertThat(rt.stats().bytesIn.sum()).isGreaterThan(80_000L * 20);
                assertThat(rs.bytesSent.sum()).isEqualTo(rt.stats().bytesIn.sum());
                assertThat(rs.damaged.sum()).as(Harness.describe(rt)).isZero();
                assertThat(rt.stats().captureGaps.sum()).isZero();
                assertThat(rs.compared.sum()).as(Harness.describe(rt)).isEqualTo(rt.stats().sessions.sum());
                assertThat(rs.divergent.sum()).as(Harness.describe(rt)).isZero();
                CaptureStats cs = front.stats();
                assertThat(cs.packets.sum()).isGreaterThan(80_000L);
                assertThat(cs.drops()).isZero();
                assertThat(cs.gaps.sum()).isZero();
            }
        }
    }
}
