package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.DivergenceLog;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where a replica's answers first differ, as reported (log reason, /stats lastDivergences): the exact answer byte
 * within the first 4 KiB of a session's answers, the byte range of the differing block past it. Real Redis servers;
 * the divergence is made by writing to one replica behind the middlebox's back.
 */
@ExtendWith(NettyLeakExtension.class)
class DivergenceReportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theFirstDifferingAnswerByteIsReportedExactlyInTheHeadAndAsARangePastIt() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer bad = RedisServer.start();
             RedisServer good = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 bad.hostPort(), good.hostPort()))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            String big = "x".repeat(20_000);
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "greeting", "hello world")).isEqualTo("OK");
                assertThat(c.call("SET", "big", big)).isEqualTo("OK");
            }
            Harness.awaitSettled(svc, WAIT);
            try (RespClient direct = new RespClient("127.0.0.1", bad.port())) { // behind the middlebox's back
                direct.call("SET", "greeting", "hello WORLD");
                direct.call("SET", "big", big.substring(0, 10_000) + "y" + big.substring(10_001));
            }
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("GET", "greeting")).isEqualTo("hello world");
            }
            // the entry is logged just before the replica is marked STALE (on the replica loop): wait for both
            Harness.await("the first divergence", WAIT, () -> r.stats().divergences.entries().size() == 1
                && !r.consistency().inSync(), () -> Harness.describe(svc));
            // "$11\r\nhello world\r\n": 'w' is answer byte 5 + 6 = 11
            DivergenceLog.Entry first = r.stats().divergences.entries().get(0);
            assertThat(first.exact()).isEqualTo(11);
            assertThat(first.primaryBytes()).isEqualTo(18);
            assertThat(first.replicaBytes()).isEqualTo(18);
            assertThat(r.consistency().reason()).contains("at answer byte 11 (the first differing byte)")
                .contains("primary answered 18 B, replica 18 B");
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(((String) c.call("GET", "big")).length()).isEqualTo(20_000);
            }
            Harness.await("the second divergence", WAIT, () -> r.stats().divergences.entries().size() == 2,
                () -> Harness.describe(svc));
            // "$20000\r\n" + 20000 bytes + "\r\n": the change is at answer byte 8 + 10000, past the 4 KiB head
            DivergenceLog.Entry second = r.stats().divergences.entries().get(1);
            assertThat(second.exact()).as("past the kept head only the range is known").isEqualTo(-1);
            assertThat(second.from()).isEqualTo(4096);
            assertThat(second.to()).isEqualTo(20_010);
            assertThat(second.from() <= 10_008 && 10_008 <= second.to()).isTrue();
            assertThat(Harness.describe(svc)).contains("\"lastDivergences\"").contains("\"offset\":11")
                .contains("\"offset\":null");
            List<DivergenceLog.Entry> other = svc.replicas().get(1).stats().divergences.entries();
            assertThat(other).as("the untouched replica").isEmpty();
        }
    }
}
