package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code order: service} under load and with a replica that stops: {@code redis-benchmark} with 20 concurrent
 * clients on 1000 random keys leaves the replica's dataset equal to the primary's (without the option it is the
 * divergence positive control: reported, not asserted, since it does not diverge every time); a replica stopped with
 * SIGSTOP is dropped within the bound while the clients keep getting answers (replica loops separate from the front
 * loops: the primary's order never waits on the replica's).
 */
@ExtendWith(NettyLeakExtension.class)
class RedisServiceOrderLoadTest {

    private static String benchmark(int port) {
        return ManagedProcess.run(List.of(Binaries.require("redis-benchmark", "redis-tools").toString(), "-h",
            "127.0.0.1", "-p", String.valueOf(port), "-c", "20", "-r", "1000", "-n", "20000", "-t", "incr,lpush,zadd",
            "-q"), Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void redisBenchmarkLeavesTheReplicaEqualToThePrimary(String mode) {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            ServiceConfig plain = Harness.service("redis", mode, primary.hostPort(), CompareMode.BYTES, 64L << 20,
                replica.hostPort()).withProtocol(Protocol.REDIS);
            try (Middlebox mb = Harness.start(plain)) {
                benchmark(mb.port("redis"));
                Harness.awaitSettled(mb.service("redis"), RedisServiceOrderTest.WAIT);
                boolean equal = replica.digest().equals(primary.digest());
                System.out.println("positive control (" + mode + ", order: session): replica digest "
                    + (equal ? "equal to" : "DIFFERENT from") + " the primary's");
            }
            flushAll(primary, replica);
            try (Middlebox mb = Harness.start(RedisServiceOrderTest.ordered(mode, primary, replica))) {
                ServiceRuntime svc = mb.service("redis");
                String out = benchmark(mb.port("redis"));
                System.out.println("order: service, " + mode + ":\n" + out);
                Harness.awaitSettled(svc, RedisServiceOrderTest.WAIT);
                ReplicaStats rs = svc.replicas().get(0).stats();
                assertThat(primary.dbSize()).as("the benchmark wrote").isPositive();
                assertThat(replica.digest()).as(Harness.describe(svc)).isEqualTo(primary.digest());
                assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
                assertThat(rs.requestOrderDrops.sum()).as(Harness.describe(svc)).isZero();
                assertThat(svc.replicas().get(0).consistency().inSync()).as(Harness.describe(svc)).isTrue();
                assertThat(svc.stats().protocol.orderWaits.sum()).as(Harness.describe(svc)).isPositive();
            }
        }
    }

    @Test
    void aStoppedReplicaIsDroppedWithinTheBoundAndClientsKeepGettingAnswers() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(ReplicaLoop.SEPARATE, RedisServiceOrderTest.ordered("async", primary,
                 replica));
             RawResp a = new RawResp(mb.port("redis")); RawResp b = new RawResp(mb.port("redis"))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaStats rs = svc.replicas().get(0).stats();
            for (int i = 0; i < 20; i++) {
                assertThat(a.call("SET", "a", "v" + i)).isEqualTo("OK");
                assertThat(b.call("SET", "b", "v" + i)).isEqualTo("OK");
            }
            replica.process().pause();
            try {
                int[] i = {0};
                Harness.await("the stopped replica to be dropped", Duration.ofSeconds(30), () -> {
                    i[0]++; // the clients keep getting answers meanwhile (async: the primary never waits on it)
                    assertThat(a.call("INCR", "n")).isEqualTo((long) (2 * i[0] - 1));
                    assertThat(b.call("INCR", "n")).isEqualTo((long) (2 * i[0]));
                    return !svc.replicas().get(0).consistency().inSync();
                }, () -> Harness.describe(svc));
                assertThat(rs.requestOrderDrops.sum()).as(Harness.describe(svc)).isPositive();
                assertThat(svc.stats().protocol.orderTimeouts.sum()).as("the primary never waited for the bound")
                    .isZero();
                assertThat(a.call("GET", "n")).isEqualTo(String.valueOf(2 * i[0]));
            } finally {
                replica.process().resume();
            }
        }
    }

    /** Empties both servers between two runs. */
    private static void flushAll(RedisServer primary, RedisServer replica) {
        try (var p = primary.client(); var r = replica.client()) {
            p.call("FLUSHALL");
            r.call("FLUSHALL");
        }
    }
}
