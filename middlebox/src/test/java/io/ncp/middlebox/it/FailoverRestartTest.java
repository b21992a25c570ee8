package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.failover.FencedPrimaries;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failover survives a restart of the middlebox as a refusal: started again with the configuration that still names
 * the fenced primary, the service is refused with the promoted replica named (the fenced primary never received
 * what the promoted one took since); once the configuration names the promoted replica, it starts and the record is
 * cleared. Real Redis.
 */
@ExtendWith(NettyLeakExtension.class)
class FailoverRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private MiddleboxConfig config(String primary, String... replicas) {
        return Harness.config(ReplicaLoop.SHARED, FailoverTest.withRedisFailover(Harness.service("redis", primary,
            CompareMode.BYTES, 64L << 20, replicas))).withJournal(new JournalConfig(dir, 1L << 30, FsyncPolicy.NEVER));
    }

    @Test
    void aRestartWithTheFencedPrimaryConfiguredIsRefusedUntilTheConfigurationNamesThePromotedOne() {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            MiddleboxConfig before = config(primary.hostPort(), replica.hostPort());
            try (Middlebox mb = Middlebox.start(before)) {
                ServiceRuntime svc = mb.service("redis");
                primary.process().kill();
                Harness.await("failed over", WAIT, () -> !svc.failovers().isEmpty(), () -> Harness.describe(svc));
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("SET", "after", "1")).isEqualTo("OK"); // a write only the promoted one has
                }
            }
            Path record = dir.resolve("redis").resolve(FencedPrimaries.FILE);
            assertThat(record).exists();
            assertThatThrownBy(() -> Middlebox.start(before)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("services[0].primary").hasMessageContaining(primary.hostPort() + "' was fenced")
                .hasMessageContaining("Make " + replica.hostPort() + " the primary");
            try (Middlebox mb = Middlebox.start(config(replica.hostPort()));
                 RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("GET", "after")).isEqualTo("1");
            }
            assertThat(record).as("acted on: cleared").doesNotExist();
        }
    }

    @Test
    void withoutARecordTheConfiguredPrimaryStarts() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            Files.createDirectories(dir.resolve("redis"));
            try (Middlebox mb = Middlebox.start(config(primary.hostPort(), replica.hostPort()))) {
                assertThat(mb.service("redis").primary().address().toString()).isEqualTo(primary.hostPort());
            }
        }
    }
}
