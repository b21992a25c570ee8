package io.ncp.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL cluster ({@code initdb -A trust}, TLS off, fsync off) on 127.0.0.1 and a free port.
 * Run as the {@code postgres} OS user when the tests run as root (postgres refuses root).
 * Stopped with {@code pg_ctl stop -m fast} on its own data directory in {@link #close()}.
 */
public final class PostgresServer implements AutoCloseable {

    private final int port;
    private final Path dir;

    private PostgresServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static PostgresServer start() {
        Path initdb = Binaries.require("initdb", "postgresql");
        Path pgCtl = Binaries.require("pg_ctl", "postgresql");
        int port = FreePorts.allocate();
        try {
            Path dir = Files.createTempDirectory("ncp-pg-" + port + "-");
            Path data = dir.resolve("data");
            if (isRoot()) {
                ManagedProcess.run(List.of("chown", "postgres:postgres", dir.toString()), Duration.ofSeconds(10));
            }
            ManagedProcess.run(asPostgres(initdb.toString(), "-A", "trust", "-U", "postgres", "--no-sync",
                "-E", "UTF8", "--locale=C", "-D", data.toString()), Duration.ofSeconds(120));
            PostgresServer s = new PostgresServer(port, dir);
            s.startAgain();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the cluster on its data directory and port (again, after {@link #stop}). */
    public void startAgain() {
        Path pgCtl = Binaries.require("pg_ctl", "postgresql");
        ManagedProcess.run(asPostgres(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-l",
            dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c ssl=off -c max_connections=200",
            "start"), Duration.ofSeconds(90));
    }

    /** Stops the cluster ({@code pg_ctl stop -m fast}: sessions end); its data stays for {@link #startAgain}. */
    public void stop() {
        Path pgCtl = Binaries.require("pg_ctl", "postgresql");
        ManagedProcess.run(asPostgres(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-m", "fast",
            "-w", "-t", "60", "stop"), Duration.ofSeconds(90));
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static List<String> asPostgres(String... cmd) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        return full;
    }

    public int port() {
        return port;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** JDBC URL of database {@code postgres} as superuser {@code postgres}, TLS off. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&sslmode=disable";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /**
     * An order-independent-of-storage content hash of {@code table}: md5 over its rows as text,
     * ordered by {@code orderBy}. Equal hashes mean equal contents.
     */
    public String tableHash(String table, String orderBy) {
        String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY " + orderBy
            + ")), '-') FROM " + table + " t";
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("hashing " + table + " on port " + port, e);
        }
    }

    /** The server crashes: the postmaster and every backend stop, then die (no message to any client). */
    public void crash() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
            ProcessTree.crash(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Path pgCtl = Binaries.require("pg_ctl", "postgresql");
        try {
            ManagedProcess.run(asPostgres(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-m", "fast",
                "-w", "-t", "60", "stop"), Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            System.err.println("pg_ctl stop failed for port " + port + ": " + e.getMessage());
        }
        TempDirs.deleteQuietly(dir);
    }
}
