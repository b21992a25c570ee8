package io.ncp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nginx on 127.0.0.1 and a free port serving the files of {@link #root()}: one process (no master, no
 * daemon), every path inside its own temporary directory. Stopped (by PID) in {@link #close()}.
 */
public final class NginxServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final ManagedProcess process;

    private static final java.nio.file.attribute.FileTime FILE_TIME =
        java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);

    private NginxServer(int port, Path dir, ManagedProcess process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** Starts nginx with {@code files} (name → content) in its document root. */
    public static NginxServer start(java.util.Map<String, byte[]> files) {
        return start(files, "");
    }

    /**
     * Starts nginx with {@code files} (name → content) in its document root and {@code serverDirectives} (e.g.
     * {@code "gzip on; gzip_types text/plain;"}) in its server block. Every file gets the same modification time on
     * every server started here (Last-Modified and ETag are then equal between two servers with the same files).
     */
    public static NginxServer start(java.util.Map<String, byte[]> files, String serverDirectives) {
        Path bin = Binaries.require("nginx", "nginx-light");
        int port = FreePorts.allocate();
        try {
            Path dir = Files.createTempDirectory("ncp-nginx-" + port + "-");
            Path root = Files.createDirectories(dir.resolve("html"));
            for (var f : files.entrySet()) {
                Files.setLastModifiedTime(Files.write(root.resolve(f.getKey()), f.getValue()), FILE_TIME);
            }
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            String conf = "daemon off; master_process off; pid " + dir.resolve("nginx.pid") + "; error_log "
                + dir.resolve("error.log") + ";\nevents { worker_connections 256; }\nhttp { access_log "
                + dir.resolve("access.log") + "; client_body_temp_path " + tmp + "; proxy_temp_path " + tmp
                + "; fastcgi_temp_path " + tmp + "; uwsgi_temp_path " + tmp + "; scgi_temp_path " + tmp
                + ";\n  server { listen 127.0.0.1:" + port + "; root " + root + "; " + serverDirectives + " } }\n";
            Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
            ManagedProcess p = ManagedProcess.start("nginx:" + port, List.of(bin.toString(), "-c",
                confFile.toString(), "-p", dir.toString()), dir.resolve("nginx.out"));
            p.awaitPort("127.0.0.1", port, Duration.ofSeconds(20));
            return new NginxServer(port, dir, p);
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

    /** The document root. */
    public Path root() {
        return dir.resolve("html");
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }
}
