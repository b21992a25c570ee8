package io.ncp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server on 127.0.0.1 and a free port, persistence off, {@code DEBUG} enabled for
 * {@link #digest()}. Stopped (by PID) in {@link #close()}.
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private volatile ManagedProcess process;
    private final List<String> extra;

    private RedisServer(int port, Path dir, ManagedProcess process, List<String> extra) {
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.extra = extra;
    }

    public static RedisServer start() {
        return start(new String[0]);
    }

    /** A redis-server with {@code extraArgs} after the usual ones (e.g. {@code --tcp-backlog 2}), kept on restarts. */
    public static RedisServer start(String... extraArgs) {
        int port = FreePorts.allocate();
        List<String> extra = List.of(extraArgs);
        try {
            Path dir = Files.createTempDirectory("ncp-redis-" + port + "-");
            return new RedisServer(port, dir, launch(port, dir, extra), extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ManagedProcess launch(int port, Path dir, List<String> extra) {
        Path bin = Binaries.require("redis-server", "redis-server");
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(),
            "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--enable-debug-command", "local", "--dir", dir.toString(), "--daemonize", "no",
            "--protected-mode", "no"));
        cmd.addAll(extra);
        ManagedProcess p = ManagedProcess.start("redis-server:" + port, cmd, dir.resolve("redis.log"));
        p.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
        return p;
    }

    /** SIGKILL, then a new, empty redis-server on the same port (a replica that restarted and lost its data). */
    public void restartEmpty() {
        process.kill();
        process = launch(port, dir, extra);
    }

    public int port() {
        return port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** {@code DEBUG DIGEST}: equal digests mean equal datasets. */
    public String digest() {
        try (RespClient c = client()) {
            return (String) c.call("DEBUG", "DIGEST");
        }
    }

    public long dbSize() {
        try (RespClient c = client()) {
            return (Long) c.call("DBSIZE");
        }
    }

    public RespClient client() {
        return new RespClient("127.0.0.1", port);
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }
}
