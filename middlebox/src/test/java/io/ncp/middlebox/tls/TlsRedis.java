package io.ncp.middlebox.tls;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.RespClient;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server on 127.0.0.1 with TLS ({@code --tls-port}, the given certificate, client certificates not
 * required) and a plaintext port for the test's own checks ({@code DEBUG DIGEST}). Stopped by PID in {@link #close}.
 */
public final class TlsRedis implements AutoCloseable {

    private final int port;
    private final int tlsPort;
    private final Path dir;
    private final ManagedProcess process;

    public TlsRedis(TestPki.Pair cert, Path ca) {
        Path bin = Binaries.require("redis-server", "redis-server");
        this.port = FreePorts.allocate();
        this.tlsPort = FreePorts.allocate();
        try {
            this.dir = Files.createTempDirectory("ncp-tls-redis-" + tlsPort + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.process = ManagedProcess.start("redis-server:" + tlsPort, List.of(bin.toString(), "--port",
            String.valueOf(port), "--tls-port", String.valueOf(tlsPort), "--tls-cert-file", cert.cert().toString(),
            "--tls-key-file", cert.key().toString(), "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no",
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "local", "--dir",
            dir.toString(), "--daemonize", "no", "--protected-mode", "no"), dir.resolve("redis.log"));
        process.awaitPort("127.0.0.1", tlsPort, Duration.ofSeconds(20));
        process.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
    }

    /** The TLS address (what the middlebox connects to). */
    public String tlsHostPort() {
        return "127.0.0.1:" + tlsPort;
    }

    /** {@code DEBUG DIGEST} over the plaintext port. */
    public String digest() {
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            return (String) c.call("DEBUG", "DIGEST");
        }
    }

    public long dbSize() {
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            return (Long) c.call("DBSIZE");
        }
    }

    /** redis-benchmark over TLS to {@code port}, trusting {@code ca}, one client (bounded: 3 minutes). */
    public static String benchmark(int port, Path ca, String tests, int requests) {
        String bin = Binaries.require("redis-benchmark", "redis-tools").toString();
        return ManagedProcess.run(List.of(bin, "-h", "127.0.0.1", "-p", String.valueOf(port), "--tls", "--cacert",
            ca.toString(), "-c", "1", "-n", String.valueOf(requests), "-r", "1000", "-t", tests, "-q"),
            Duration.ofMinutes(3));
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }
}
