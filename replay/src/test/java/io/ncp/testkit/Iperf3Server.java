package io.ncp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code iperf3 -s -J} on 127.0.0.1 and a free port; after each test it appends a JSON report, from which
 * {@link #awaitReceivedBytes} reads the bytes received. (Not one-off: {@code -1} would exit on the readiness
 * probe's empty connection.) Stopped by PID in {@link #close()}.
 */
public final class Iperf3Server implements AutoCloseable {

    private static final Pattern RECEIVED = Pattern.compile(
        "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)", Pattern.DOTALL);

    private final int port;
    private final Path dir;
    private final ManagedProcess process;

    private Iperf3Server(int port, Path dir, ManagedProcess process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    public static Iperf3Server start() {
        Path bin = Binaries.require("iperf3", "iperf3");
        int port = FreePorts.allocate();
        try {
            Path dir = Files.createTempDirectory("ncp-iperf3-" + port + "-");
            ManagedProcess p = ManagedProcess.start("iperf3-s:" + port, List.of(bin.toString(), "-s", "-J",
                "-B", "127.0.0.1", "-p", String.valueOf(port)), dir.resolve("iperf3.json"));
            p.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
            return new Iperf3Server(port, dir, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /**
     * Waits until a test has ended and returns the bytes the server received in it (iperf3's
     * {@code end.sum_received.bytes}: counted until the client's TEST_END arrives).
     */
    public long awaitReceivedBytes(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String json = Files.readString(dir.resolve("iperf3.json"), StandardCharsets.UTF_8);
                Matcher m = RECEIVED.matcher(json);
                long last = -1;
                while (m.find()) {
                    last = Long.parseLong(m.group(1));
                }
                if (last >= 0) {
                    return last;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ManagedProcess.sleep(100);
        }
        throw new IllegalStateException("iperf3 server " + port + " reported no finished test after " + timeout
            + "; output:\n" + process.tail());
    }

    /** Runs an iperf3 client against {@code host:port} and returns its JSON report. */
    public static String runClient(String host, int port, List<String> extraArgs, Duration timeout) {
        Path bin = Binaries.require("iperf3", "iperf3");
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(), "-c", host, "-p", String.valueOf(port),
            "-J"));
        cmd.addAll(extraArgs);
        return ManagedProcess.run(cmd, timeout);
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }
}
