package io.ncp.replay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.capture.PcapWriter;
import io.ncp.replay.decode.LinkType;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.replay.journal.JournalWriter;
import io.ncp.replay.reassembly.Direction;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, corrupt and foreign inputs end with exit code 2 and a message naming file, offset and problem. */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void aTruncatedPcapNamesTheOffsetOfTheCutRecord() throws IOException {
        Path pcap = dir.resolve("cut.pcap");
        long lastRecord = writeFrames(pcap, 5);
        byte[] all = Files.readAllBytes(pcap);
        Files.write(pcap, Arrays.copyOf(all, all.length - 7));
        for (String cmd : new String[] {"inspect", "replay"}) {
            Cli.Result r = cmd.equals("inspect") ? Cli.run("inspect", pcap.toString())
                : Cli.run("replay", pcap.toString(), "--target", "127.0.0.1:9", "--progress", "0");
            assertThat(r.exit()).as(r.all()).isEqualTo(2);
            assertThat(r.err()).contains(pcap.toString()).contains("at byte offset " + lastRecord)
                .contains("truncated packet record");
        }
        Cli.Result inspect = Cli.run("inspect", pcap.toString());
        assertThat(inspect.out()).contains("packets=4"); // what was whole was read and reported
    }

    @Test
    void anUnknownLinkTypeIsRejectedByNumber() throws IOException {
        Path pcap = dir.resolve("usb.pcap");
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(189);
        Files.write(pcap, h.array());
        Cli.Result r = Cli.run("inspect", pcap.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("usb.pcap: at byte offset 20: unsupported link type 189");
    }

    @Test
    void garbageFilesAreNeitherJournalsNorCaptures() throws IOException {
        Path junk = dir.resolve("junk.bin");
        byte[] b = new byte[4096];
        new Random(1).nextBytes(b);
        b[0] = 1; // not a magic by chance
        Files.write(junk, b);
        Cli.Result r = Cli.run("replay", junk.toString(), "--target", "127.0.0.1:9");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("junk.bin: at byte offset 0: neither an NCP journal nor a pcap/pcapng capture");
        Cli.Result missing = Cli.run("inspect", dir.resolve("nope.pcap").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.pcap");
    }

    @Test
    void garbagePacketsInAValidPcapAreCountedNotFatal() throws IOException {
        Path pcap = dir.resolve("noise.pcap");
        Random rnd = new Random(7);
        try (PcapWriter w = new PcapWriter(pcap, LinkType.ETHERNET, 65535)) {
            for (int i = 0; i < 500; i++) {
                byte[] f = new byte[rnd.nextInt(120)];
                rnd.nextBytes(f);
                if (f.length > 14 && i % 2 == 0) {
                    f[12] = 0x08; // claims IPv4, then garbage
                    f[13] = 0x00;
                }
                w.write(1_000_000_000L + i, f, 0, f.length);
            }
        }
        Cli.Result r = Cli.run("inspect", pcap.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("packets=500").containsPattern("malformed=[1-9]");
    }

    @Test
    void aCorruptJournalNamesTheBadRecordAndAJournalWithATornTailStillReplays() throws IOException {
        Path j = dir.resolve("bad.journal");
        long second;
        try (JournalWriter w = JournalWriter.open(j, FsyncPolicy.NEVER)) {
            byte[] p = new byte[200];
            w.data(1, Direction.CLIENT_TO_SERVER, 0, p, 0, p.length, 1);
            w.flush();
            second = w.position();
            w.data(1, Direction.CLIENT_TO_SERVER, 200, p, 0, p.length, 2);
            w.data(1, Direction.CLIENT_TO_SERVER, 400, p, 0, p.length, 3);
        }
        try (RandomAccessFile f = new RandomAccessFile(j.toFile(), "rw")) {
            f.seek(second + 100);
            f.write(0x55);
        }
        Cli.Result r = Cli.run("inspect", j.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.journal: at byte offset " + second).contains("checksum mismatch");

        Path torn = dir.resolve("torn.journal");
        Files.write(torn, Arrays.copyOf(Files.readAllBytes(j), (int) second + 30));
        Cli.Result t = Cli.run("inspect", torn.toString());
        assertThat(t.exit()).as(t.all()).isZero();
        assertThat(t.out()).contains("torn tail of 30 bytes at byte offset " + second);
    }

    @Test
    void badOptionsExitWithTwo() {
        assertThat(Cli.run("replay", "x.pcap", "--target", "nohostport").exit()).isEqualTo(2);
        assertThat(Cli.run("replay").exit()).isEqualTo(2);
        assertThat(Cli.run("record", "--out", dir.resolve("j").toString()).exit()).isEqualTo(2);
        assertThat(Cli.run("frobnicate").exit()).isEqualTo(2);
    }

    /** Writes {@code n} small Ethernet frames; returns the file offset of the last record. */
    private static long writeFrames(Path pcap, int n) throws IOException {
        try (PcapWriter w = new PcapWriter(pcap, LinkType.ETHERNET, 65535)) {
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[60];
                w.write(1_000_000_000L * (i + 1), f, 0, f.length);
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(pcap.toFile(), "r")) {
            return f.length() - 16 - 60;
        }
    }
}
