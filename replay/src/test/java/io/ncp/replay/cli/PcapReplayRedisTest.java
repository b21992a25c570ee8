package io.ncp.replay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.PcapWriter;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.Tcpdump;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * tcpdump records redis-benchmark against a real primary on loopback; {@code ncp-replay replay} of that pcap
 * (directly, or through a journal) into a fresh Redis must give the primary's {@code DEBUG DIGEST}. Negative
 * control: the same capture with one client segment removed is reported damaged and does not converge.
 */
@ExtendWith(NettyLeakExtension.class)
class PcapReplayRedisTest {

    @TempDir
    static Path dir;
    static RedisServer primary;
    static Path pcap;
    static String primaryDigest;

    @BeforeAll
    static void captureTraffic() {
        primary = RedisServer.start();
        pcap = dir.resolve("redis.pcap");
        try (Tcpdump tcpdump = Tcpdump.start("lo", "tcp port " + primary.port(), pcap)) {
            RedisTraffic.benchmark(primary, 2000);
            tcpdump.close();
            assertThat(tcpdump.droppedByKernel()).as("tcpdump: %s", tcpdump.logText()).isZero();
        }
        primaryDigest = primary.digest();
        assertThat(primary.dbSize()).isGreaterThan(100);
    }

    @AfterAll
    static void stopPrimary() {
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    void replayingThePcapGivesTheSameDigest() {
        Cli.Result inspect = Cli.run("inspect", pcap.toString());
        assertThat(inspect.exit()).as(inspect.all()).isZero();
        assertThat(inspect.out()).as("capture must be whole").contains("(damaged 0, midstream 0)");
        try (RedisServer replica = RedisServer.start()) {
            String empty = replica.digest();
            Cli.Result r = Cli.run("replay", pcap.toString(), "--target", replica.hostPort(), "--fast",
                "--progress", "0");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("errors 0").contains("cut at gap 0");
            assertThat(replica.digest()).isNotEqualTo(empty).isEqualTo(primaryDigest);
        }
    }

    @Test
    void recordingThePcapIntoAJournalAndReplayingThatGivesTheSameDigest() {
        Path journal = dir.resolve("redis.journal");
        Cli.Result rec = Cli.run("record", "--pcap", pcap.toString(), "--out", journal.toString());
        assertThat(rec.exit()).as(rec.all()).isZero();
        assertThat(rec.out()).contains("0 gaps");
        try (RedisServer replica = RedisServer.start()) {
            Cli.Result r = Cli.run("replay", journal.toString(), "--target", replica.hostPort(), "--speed", "4x",
                "--progress", "0");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(replica.digest()).isEqualTo(primaryDigest);
        }
    }

    @Test
    void aLostClientSegmentIsReportedAndTheSessionIsCutThere() throws IOException {
        Path damaged = dir.resolve("damaged.pcap");
        long removedAt = dropOneClientSegment(pcap, damaged, primary.port(), countPackets(pcap) / 2);
        Cli.Result inspect = Cli.run("inspect", damaged.toString());
        assertThat(inspect.out()).contains("(damaged 1,").contains("first at offset ");
        try (RedisServer replica = RedisServer.start()) {
            Cli.Result r = Cli.run("replay", damaged.toString(), "--target", replica.hostPort(), "--fast",
                "--progress", "0");
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("cut at gap 1");
            assertThat(replica.digest()).as("segment removed at packet %d", removedAt).isNotEqualTo(primaryDigest);
        }
        try (RedisServer replica = RedisServer.start()) {
            Cli.Result r = Cli.run("replay", damaged.toString(), "--target", replica.hostPort(), "--fast",
                "--skip-damaged", "--progress", "0");
            assertThat(r.out()).contains("skipped damaged 1");
        }
    }

    static long countPackets(Path in) throws IOException {
        RawPacket raw = new RawPacket();
        long n = 0;
        try (PacketSource src = CaptureFiles.open(in)) {
            while (src.next(raw)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aTargetThatRefusesConnectionsIsAnErrorNotAHang() {
        int closedPort = io.ncp.testkit.FreePorts.allocate();
        Cli.Result r = Cli.run("replay", pcap.toString(), "--target", "127.0.0.1:" + closedPort, "--fast",
            "--progress", "0");
        assertThat(r.exit()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("error: session 1: cannot connect to")
            .containsPattern("sessions (\\d+), replayed \\1 .*errors \\1\\b");
    }

    /**
     * Copies {@code in} to {@code out} without the first client-to-server data packet after packet
     * {@code after} (mid-capture: a list push/pop phase, where a lost command changes the final state).
     */
    static long dropOneClientSegment(Path in, Path out, int serverPort, long after) throws IOException {
        RawPacket raw = new RawPacket();
        TcpPacket tcp = new TcpPacket();
        PacketDecoder decoder = new PacketDecoder();
        long n = 0;
        long removed = -1;
        try (PacketSource src = CaptureFiles.open(in); PcapWriter w = new PcapWriter(out,
                io.ncp.replay.decode.LinkType.ETHERNET, 262144)) {
            while (src.next(raw)) {
                n++;
                boolean drop = removed < 0 && n > after
                    && decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)
                    && tcp.dstPort == serverPort && tcp.payloadLength > 0;
                if (drop) {
                    removed = n;
                } else {
                    w.write(raw.timestampNanos, raw.data, raw.offset, raw.length);
                }
            }
        }
        assertThat(removed).isPositive();
        return removed;
    }
}
