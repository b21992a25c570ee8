package io.ncp.middlebox.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.cli.Main;
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
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import io.ncp.testkit.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Mirror mode from a pcap file (deterministic): a lost client segment damages only its session. */
@ExtendWith(NettyLeakExtension.class)
class MirrorPcapTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final String[] DAMAGED = {"SET a 1\r\n", "SET b 2\r\n", "SET c 3\r\n", "SET d 4\r\n"};
    private static final String[] CLEAN = {"SET e 5\r\n", "SET f 6\r\n"};

    private Path dir;
    private Path pcap;

    @BeforeEach
    void writeCapture() throws Exception {
        dir = Files.createTempDirectory("ncp-mirror-pcap");
        pcap = dir.resolve("gap.pcap");
        try (SessionPcap w = new SessionPcap(pcap)) {
            w.session(40001, DAMAGED, 2); // "SET c 3" was lost by the capture; the server's ACK proves it
            w.session(40002, CLEAN, -1);
        }
    }

    @AfterEach
    void cleanUp() {
        TempDirs.deleteQuietly(dir);
    }

    @Test
    void aLostClientSegmentDamagesItsSessionAndNothingAfterTheGapReachesTheReplica() throws Exception {
        try (RedisServer replica = RedisServer.start()) {
            ServiceConfig svc = ConfigLoader.mirroredService("test", "redis", new HostPort("10.0.0.2", 6379), null,
                "bytes", 64L << 20, List.of(ReplicaConfig.parse("replica", replica.hostPort())));
            try (Middlebox mb = Middlebox.start(new MiddleboxConfig(2, 4096, 64L << 20, null, Duration.ZERO,
                    ReplicaLoop.SHARED, Duration.ofSeconds(2), null, List.of(svc)))) {
                MirrorConfig mc = MirrorConfig.of(null, pcap, null);
                try (MirrorFrontend front = MirrorFrontend.start(mb, mc, MirrorFrontend.openInput(mc, List.of(svc)))) {
                    assertThat(front.awaitInputEnd(SETTLE)).isTrue();
                    ServiceRuntime rt = mb.service("redis");
                    Harness.awaitSettled(rt, SETTLE);

                    assertThat(front.failure()).isNull();
                    assertThat(front.openSessions()).isZero();
                    CaptureStats cs = front.stats();
                    assertThat(cs.gaps.sum()).isEqualTo(1);
                    assertThat(cs.gapBytes.sum()).isEqualTo(DAMAGED[2].length());
                    assertThat(cs.drops()).isZero();
                    assertThat(rt.stats().sessions.sum()).isEqualTo(2);
                    assertThat(rt.stats().captureGaps.sum()).isEqualTo(1);
                    ReplicaStats rs = rt.replicas().get(0).stats();
                    assertThat(rs.damaged.sum()).as(Harness.describe(rt)).isEqualTo(1);
                    assertThat(rs.compared.sum()).as(Harness.describe(rt)).isEqualTo(1);
                    assertThat(rs.divergent.sum()).as(Harness.describe(rt)).isZero();
                    // the bytes before the gap were handed to the replica copy, nothing from the gap on
                    long before = DAMAGED[0].length() + DAMAGED[1].length();
                    long clean = CLEAN[0].length() + CLEAN[1].length();
                    assertThat(rs.bytesSent.sum()).isEqualTo(before + clean);
                    try (RespClient c = replica.client()) {
                        assertThat(c.call("GET", "c")).isNull();
                        assertThat(c.call("GET", "d")).isNull();
                        assertThat(c.call("GET", "e")).isEqualTo("5");
                        assertThat(c.call("GET", "f")).isEqualTo("6");
                    }
                }
            }
        }
    }

    @Test
    void theCommandProcessesAFileAndExitsWithZero() throws Exception {
        try (RedisServer replica = RedisServer.start()) {
            PrintStream oldOut = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                code = Main.execute("mirror", "--pcap", pcap.toString(), "--primary", "10.0.0.2:6379", "--replica",
                    replica.hostPort(), "--admin", "off", "--stats-interval", "0", "--threads", "1");
            } finally {
                System.setOut(oldOut);
            }
            String json = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(json).isZero();
            assertThat(json).contains("\"captureGaps\" : 1").contains("\"gaps\" : 1");
            try (RespClient c = replica.client()) {
                assertThat(c.call("GET", "f")).isEqualTo("6");
                assertThat(c.call("GET", "d")).isNull();
            }
        }
    }
}
