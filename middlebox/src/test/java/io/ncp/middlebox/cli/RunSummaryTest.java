package io.ncp.middlebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.FreePorts;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} in a child JVM between real Redis servers: SIGTERM and SIGINT make it print the final table (per service
 * and replica) and exit 0; the stats line's legend comes first.
 */
class RunSummaryTest {

    @TempDir
    Path dir;

    @Test
    void sigtermAndSigintPrintTheFinalTableAndExitZero() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start()) {
            // a JVM started with SIGINT ignored (a background job of a shell without job control, e.g. `mvn ... &`
            // in a script) keeps ignoring it, as nohup'ed programs must: the child inherits that, so INT is only
            // sent when this JVM did not start so
            for (String signal : sigintIgnored() ? List.of("TERM") : List.of("TERM", "INT")) {
                int port = FreePorts.allocate();
                Path err = dir.resolve("run-" + signal + ".err");
                Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                    "--name", "redis", "--listen", "127.0.0.1:" + port, "--primary", primary.hostPort(),
                    "--replica", replica.hostPort(), "--admin", "off", "--stats-interval", "1s"))
                    .redirectOutput(dir.resolve("run-" + signal + ".out").toFile()).redirectError(err.toFile())
                    .start();
                try {
                    awaitListening(p, port, err);
                    for (int i = 0; i < 12; i++) {
                        try (RespClient c = new RespClient("127.0.0.1", port)) {
                            assertThat(c.call("SET", "k" + i, "v")).isEqualTo("OK");
                        }
                    }
                    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start();
                    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits after SIG" + signal).isTrue();
                } finally {
                    p.destroyForcibly();
                }
                String text = Files.readString(err);
                assertThat(p.exitValue()).as(text).isZero();
                assertThat(text).contains("ncp legend: sess OPEN/TOTAL sessions")
                    .contains("ncp-middlebox: stopped after")
                    // 12 sessions, and one more when the readiness probe's connection reached the primary
                    .containsPattern("redis +" + primary.hostPort().replace(".", "\\.") + " +primary +1[23] ")
                    .containsPattern("redis +" + replica.hostPort().replace(".", "\\.") + " +replica +1[23] +\\S+ "
                        + "sent, \\S+ answered +0/\\d+ +0 +0 +0 +0s +\\d+ \\(.*\\) +UP IN_SYNC");
                assertThat(text.indexOf("ncp legend")).isLessThan(text.indexOf("ncp-middlebox: stopped after"));
            }
        }
    }

    /** Whether this process ignores SIGINT (bit 1 of {@code SigIgn} in /proc/self/status). */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2) != 0;
            }
        }
        return false;
    }

    private static void awaitListening(Process p, int port, Path err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("the middlebox exited " + p.exitValue() + ": " + Files.readString(err));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the middlebox did not listen within 60 s: " + Files.readString(err));
    }
}
