package io.ncp.middlebox.it;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real MariaDB ({@code mariadbd}) on 127.0.0.1 and a free port with grant tables: user {@code app} with a password
 * ({@code mysql_native_password}), database {@code d}; TLS off, {@code innodb_autoinc_lock_mode=2} (ids allocated
 * per row when inserted). The test's own statements go over the server's socket as root. Stopped by PID.
 */
final class AuthMariaDb implements AutoCloseable {

    final int port;
    final String password;
    private final Path dir;
    private final ManagedProcess process;

    AuthMariaDb(String password) {
        this.port = FreePorts.allocate();
        this.password = password;
        Path installDb = Binaries.require("mariadb-install-db", "mariadb-server");
        Path mariadbd = Binaries.require("mariadbd", "mariadb-server");
        try {
            dir = Files.createTempDirectory("ncp-mariadb-auth-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path data = dir.resolve("data");
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data,
            "--auth-root-authentication-method=normal", "--skip-test-db"));
        List<String> serve = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults", "--datadir=" + data,
            "--socket=" + socket(), "--port=" + port, "--bind-address=127.0.0.1", "--skip-ssl",
            "--skip-name-resolve", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
            "--innodb-autoinc-lock-mode=2", "--pid-file=" + dir.resolve("mysqld.pid"), "--general-log=1",
            "--general-log-file=" + dir.resolve("general.log"),
            "--log-error=" + dir.resolve("error.log")));
        if ("root".equals(System.getProperty("user.name"))) {
            install.add("--user=root");
            serve.add("--user=root");
        }
        ManagedProcess.run(install, Duration.ofSeconds(180));
        process = ManagedProcess.start("mariadbd:" + port, serve, dir.resolve("stdout.log"));
        process.awaitPort("127.0.0.1", port, Duration.ofSeconds(120));
        root("CREATE USER 'app'@'%' IDENTIFIED BY '" + password + "'; GRANT ALL ON *.* TO 'app'@'%'; "
            + "CREATE DATABASE d;");
    }

    /** The server's Unix socket (root's way in, e.g. for resync hooks). */
    String socket() {
        return dir.resolve("mysqld.sock").toString();
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Runs {@code sql} as root over the socket; returns the output (tab-separated, no column names). */
    String root(String sql) {
        return ManagedProcess.run(List.of(cli(), "--no-defaults", "-S", socket(), "-u", "root", "-N", "-B", "-e",
            sql), Duration.ofSeconds(60)).trim();
    }

    /** Row count and md5 of every row of {@code d.table} ordered by {@code id}: equal means equal contents. */
    String tableHash(String table, String columns) {
        return root("SELECT COUNT(*), MD5(GROUP_CONCAT(CONCAT_WS(',', " + columns + ") ORDER BY id SEPARATOR ';')) "
            + "FROM d." + table);
    }

    /**
     * Statements of user {@code app} executing (or waiting for a lock) on the server. (Not a count of
     * {@code innodb_trx}: a locking read that waits while the optimizer reads statistics has no transaction id yet,
     * and {@code SELECT COUNT(*) FROM information_schema.innodb_trx} then said 1 while the table listed 2 rows.)
     */
    int runningStatements() {
        return Integer.parseInt(root("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'app' AND "
            + "COMMAND = 'Query'"));
    }

    /** Transactions open on the server. */
    int openTransactions() {
        return Integer.parseInt(root("SELECT COUNT(*) FROM information_schema.innodb_trx"));
    }

    /** The server's connections (user, command, time, state, statement), for failure messages. */
    String processes() {
        return root("SELECT GROUP_CONCAT(CONCAT_WS(' ', ID, USER, COMMAND, TIME, STATE, LEFT(INFO, 60)) SEPARATOR "
            + "' | ') FROM information_schema.PROCESSLIST") + "; trx: " + root("SELECT GROUP_CONCAT(CONCAT_WS(' ', "
            + "trx_id, trx_state, trx_mysql_thread_id, LEFT(trx_query, 40)) SEPARATOR ' | ') FROM "
            + "information_schema.innodb_trx") + "; general log: " + generalLogTail();
    }

    private String generalLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("general.log")).stream().filter(l -> !l.contains(
                "innodb_trx") && !l.contains("PROCESSLIST") && !l.contains("root@localhost") && !l.matches(
                "\\s*\\d+ Quit\\s*")).toList();
            return String.join(" / ", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A root session over the socket fed through its stdin (e.g. to hold a lock until told to commit). */
    Process rootSession() {
        try {
            return new ProcessBuilder(cli(), "--no-defaults", "-S", socket(), "-u", "root", "-N", "-B")
                .redirectErrorStream(true).redirectOutput(dir.resolve("session.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void feed(Process session, String sql) {
        try {
            OutputStream in = session.getOutputStream();
            in.write((sql + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code sql} as {@code app} through {@code port} (the middlebox) with the {@code mariadb} CLI and
     * {@code options} (e.g. {@code --local-infile=1}).
     */
    static String client(int port, String password, String sql, String... options) {
        List<String> cmd = new ArrayList<>(List.of(cli(), "--no-defaults", "-h", "127.0.0.1", "-P",
            String.valueOf(port), "-u", "app", "--skip-ssl", "-N", "-B"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("d", "-e", sql));
        return AuthPostgres.run(cmd, Map.of("MYSQL_PWD", password)).trim();
    }

    private static String cli() {
        return Binaries.require("mariadb", "mariadb-client").toString();
    }

    @Override
    public void close() {
        process.close();
        TempDirs.deleteQuietly(dir);
    }
}
