package io.ncp.middlebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code mirror} with bad arguments exits with 2 and names the problem, before anything starts. */
class MirrorCommandTest {

    private static final String[] SERVICE = {"--primary", "127.0.0.1:6379", "--replica", "127.0.0.1:6380",
        "--admin", "off", "--stats-interval", "0"};

    @Test
    void unknownInterfaceBadFilterAndUnreadableCapturesExitWithTwo() throws Exception {
        assertExit2("no such capture interface 'ncpnosuch0'", "mirror", "--interface", "ncpnosuch0");
        assertExit2("bad capture filter 'tcp portt 5'", "mirror", "--pcap", "/nonexistent.pcap", "--filter",
            "tcp portt 5");
        assertExit2("cannot read capture file '/nonexistent/x.pcap'", "mirror", "--pcap", "/nonexistent/x.pcap");
        Path dir = Files.createTempDirectory("ncp-mirror-args");
        try {
            Path text = Files.writeString(dir.resolve("notes.pcap"), "these are not packets\n");
            assertExit2("not a pcap or pcapng file", "mirror", "--pcap", text.toString());
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    @Test
    void aBadLiveFilterExitsWithTwo() {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
            "opening lo needs root");
        assertExit2("bad capture filter 'tcp portt 5'", "mirror", "--interface", "lo", "--filter", "tcp portt 5");
    }

    @Test
    void missingOrConflictingOptionsExitWithTwo() {
        assertExit2Raw("--interface", "mirror", "--primary", "127.0.0.1:6379", "--replica", "127.0.0.1:6380");
        assertExit2Raw("--server-port", "mirror", "--interface", "lo", "--primary", "127.0.0.1:6379",
            "--server-port", "6379", "--replica", "127.0.0.1:6380");
        assertExit2Raw("--replica", "mirror", "--interface", "lo", "--primary", "127.0.0.1:6379");
        assertExit2Raw("--primary", "mirror", "--interface", "lo", "--replica", "127.0.0.1:6380");
        assertExit2Raw("either --interface or --pcap", "mirror", "--interface", "lo", "--pcap", "x.pcap",
            "--primary", "127.0.0.1:6379", "--replica", "127.0.0.1:6380");
        assertExit2Raw("--mode", "mirror", "--interface", "lo", "--primary", "127.0.0.1:6379", "--replica",
            "127.0.0.1:6380", "--mode", "lockstep");
        assertExit2Raw("does not exist", "mirror", "--config", "/nonexistent/mirror.yaml");
        assertExit2Raw("threads", "mirror", "--interface", "lo", "--primary", "127.0.0.1:6379", "--replica",
            "127.0.0.1:6380", "--threads", "0");
    }

    @Test
    void helpExitsWithZero() {
        assertThat(Main.execute("mirror", "--help")).isZero();
    }

    private static void assertExit2(String mention, String... args) {
        String[] all = new String[args.length + SERVICE.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(SERVICE, 0, all, args.length, SERVICE.length);
        assertExit2Raw(mention, all);
    }

    private static void assertExit2Raw(String mention, String... args) {
        MainTest.assertExit2(args, mention);
    }
}
