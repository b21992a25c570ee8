package io.ncp.middlebox.tls;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL cluster on 127.0.0.1 with {@code ssl = on} and the given certificate ({@code initdb -A trust}:
 * TLS is offered, not required, so the test's own checks connect in plaintext). Run as the {@code postgres} OS user
 * when the tests run as root; stopped with {@code pg_ctl stop -m fast} on its own data directory in {@link #close}.
 */
public final class TlsPostgres implements AutoCloseable {

    private final int port;
    private final Path dir;

    public TlsPostgres(TestPki.Pair cert) {
        Path initdb = Binaries.require("initdb", "postgresql");
        Path pgCtl = Binaries.require("pg_ctl", "postgresql");
        this.port = FreePorts.allocate();
        try {
            this.dir = Files.createTempDirectory("ncp-tls-pg-" + port + "-");
            Path data = dir.resolve("data");
            if (root()) {
                ManagedProcess.run(List.of("chown", "postgres:postgres", dir.toString()), Duration.ofSeconds(10));
            }
            ManagedProcess.run(asPostgres(initdb.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E",
                "UTF8", "--locale=C", "-D", data.toString()), Duration.ofSeconds(120));
            Files.copy(cert.cert(), data.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(cert.key(), data.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
            ManagedProcess.run(List.of("chmod", "0600", data.resolve("server.key").toString()), Duration.ofSeconds(10));
            if (root()) {
                ManagedProcess.run(List.of("chown", "postgres:postgres", data.resolve("server.crt").toString(),
                    data.resolve("server.key").toString()), Duration.ofSeconds(10));
            }
            ManagedProcess.run(asPostgres(pgCtl.toString(), "-D", data.toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + dir
                    + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                    + " -c ssl=on -c max_connections=50", "start"), Duration.ofSeconds(90));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** An order-independent content hash of {@code table} (count and md5 of its rows ordered by {@code orderBy}). */
    public String tableHash(String table, String orderBy) {
        String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY " + orderBy
            + ")), '-') FROM " + table + " t";
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                + "/postgres?user=postgres&sslmode=disable"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("hashing " + table + " on port " + port, e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(String... cmd) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        return full;
    }

    @Override
    public void close() {
        try {
            ManagedProcess.run(asPostgres(Binaries.require("pg_ctl", "postgresql").toString(), "-D",
                dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop"), Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            System.err.println("pg_ctl stop failed for port " + port + ": " + e.getMessage());
        }
        TempDirs.deleteQuietly(dir);
    }
}
