package io.ncp.rubis;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real MariaDB ({@code mariadbd}) on 127.0.0.1 and a free port, own datadir under /tmp,
 * {@code --skip-grant-tables} (auth-free, as the testbed runs it), TLS off. Stopped by PID in {@link #close()}.
 */
final class MariaDbTestServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final ManagedProcess process;

    private MariaDbTestServer(int port, Path dir, ManagedProcess process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    static MariaDbTestServer start() {
        Path installDb = Binaries.require("mariadb-install-db", "mariadb-server");
        Path mariadbd = Binaries.require("mariadbd", "mariadb-server");
        int port = FreePorts.allocate();
        try {
            Path dir = Files.createTempDirectory("ncp-rubis-mariadb-" + port + "-");
            Path data = dir.resolve("data");
            List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
                "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
            List<String> serve = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults",
                "--datadir=" + data, "--socket=" + dir.resolve("mysqld.sock"), "--port=" + port,
                "--bind-address=127.0.0.1", "--skip-grant-tables", "--skip-ssl", "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2",
                "--pid-file=" + dir.resolve("mysqld.pid"), "--log-error=" + dir.resolve("error.log")));
            if ("root".equals(System.getProperty("user.name"))) {
                install.add("--user=root");
                serve.add("--user=root");
            }
            ManagedProcess.run(install, Duration.ofSeconds(180));
            ManagedProcess p = ManagedProcess.start("mariadbd:" + port, serve, dir.resolve("stdout.log"));
            p.awaitPort("127.0.0.1", port, Duration.ofSeconds(120));
            return new MariaDbTestServer(port, dir, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }
}
