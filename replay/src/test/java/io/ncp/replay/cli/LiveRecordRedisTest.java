package io.ncp.replay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture through pcap4j/libpcap: {@code ncp-replay record -i lo} runs as a real child process while
 * redis-benchmark writes to a primary, is stopped with SIGTERM (its shutdown hook flushes and syncs the
 * journal), and the journal replayed into a fresh Redis gives the primary's digest.
 */
@ExtendWith(NettyLeakExtension.class)
class LiveRecordRedisTest {

    @TempDir
    Path dir;

    @Test
    void liveRecordingOnLoopbackReplaysToTheSameDigest() throws Exception {
        Path journal = dir.resolve("live.journal");
        Path log = dir.resolve("record.log");
        try (RedisServer primary = RedisServer.start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ManagedProcess recorder = ManagedProcess.start("ncp-replay record", List.of(java, "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "record", "-i", "lo", "-f",
                "tcp port " + primary.port(), "-o", journal.toString(), "--fsync", "always"), log);
            try {
                awaitLog(recorder, log, "recording lo");
                RedisTraffic.benchmark(primary, 1000);
                awaitStableSize(journal);
            } finally {
                recorder.close(); // SIGTERM by PID; the shutdown hook waits for the journal's final sync
            }
            String out = Files.readString(log);
            assertThat(out).contains("recorded").contains("0 gaps").contains("queue drops=0");
            try (RedisServer replica = RedisServer.start()) {
                Cli.Result r = Cli.run("replay", journal.toString(), "--target", replica.hostPort(), "--fast",
                    "--progress", "0");
                assertThat(r.exit()).as(r.all()).isZero();
                assertThat(r.out()).contains("cut at gap 0");
                assertThat(replica.digest()).isEqualTo(primary.digest());
                assertThat(replica.dbSize()).isGreaterThan(100);
            }
        }
    }

    private static void awaitLog(ManagedProcess p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("recorder did not start:\n" + p.tail());
            }
            Thread.sleep(50);
        }
    }

    /** The recorder writes (fsync always) as it reassembles; wait until the journal stops growing. */
    private static void awaitStableSize(Path journal) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long size = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = Files.exists(journal) ? Files.size(journal) : 0;
            if (now != size) {
                size = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofMillis(1000).toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }
}
