package io.ncp.middlebox.it;

import io.ncp.testkit.Binaries;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL cluster whose superuser {@code postgres} has a password and whose host rule is
 * {@code scram-sha-256} or {@code md5} (the password then stored as md5, so the server really asks for md5), on
 * 127.0.0.1 and a free port, TLS off. Run as the {@code postgres} OS user when the tests run as root. Stopped with
 * {@code pg_ctl stop -m fast} on its own data directory.
 */
final class AuthPostgres implements AutoCloseable {

    final int port;
    final String password;
    private final Path dir;

    AuthPostgres(String method, String password) {
        this.port = FreePorts.allocate();
        this.password = password;
        Path initdb = Binaries.require("initdb", "postgresql");
        Path pgCtl = Binaries.require("pg_ctl", "postgresql");
        try {
            dir = Files.createTempDirectory("ncp-pgauth-" + port + "-");
            Path pw = dir.resolve("pw");
            Files.writeString(pw, password + "\n");
            if (root()) {
                ManagedProcess.run(List.of("chown", "-R", "postgres:postgres", dir.toString()),
                    Duration.ofSeconds(10));
            }
            ManagedProcess.run(asPostgres(initdb.toString(), "-A", method, "--pwfile=" + pw, "-U", "postgres",
                "--no-sync", "-E", "UTF8", "--locale=C", "-D", dir.resolve("data").toString()),
                Duration.ofSeconds(120));
            ManagedProcess.run(asPostgres(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o", "-p " + port + " -k " + dir
                    + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                    + " -c ssl=off -c max_connections=100 -c password_encryption="
                    + (method.equals("md5") ? "md5" : "scram-sha-256"), "start"), Duration.ofSeconds(90));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (method.equals("md5")) { // initdb stored the password with its default (scram): store it as md5
            execute("ALTER USER postgres PASSWORD '" + password + "'");
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

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable",
            "postgres", password);
    }

    void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on port " + port, e);
        }
    }

    /** Row count and md5 of {@code table}'s rows as text ordered by {@code orderBy}: equal means equal contents. */
    String tableHash(String table, String orderBy) {
        String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY " + orderBy
            + ")), '-') FROM " + table + " t";
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("hashing " + table + " on port " + port, e);
        }
    }

    /** The server's setting {@code name} (e.g. how the password is stored). */
    String passwordType() {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = 'postgres'")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs pgbench against {@code port} as {@code postgres} with {@code password} (PGPASSWORD). */
    static String pgbench(int port, String password, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require("pgbench", "postgresql").toString(), "-h",
            "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        return run(cmd, Map.of("PGPASSWORD", password, "PGSSLMODE", "disable"));
    }

    static String run(List<String> cmd, Map<String, String> env) {
        try {
            ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
            b.environment().putAll(env);
            Process p = b.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + " from " + cmd + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
