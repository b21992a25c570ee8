package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code protocol: mysql} with real MariaDB on loopback through the middlebox (async and lockstep, one replica with a
 * password of its own): the {@code mariadb} CLI (text protocol, multi-statement, LOCAL INFILE) and the MariaDB JDBC
 * driver (server-side prepared statements, pipelined prepare and execute) run a mix whose per-server answers (clock,
 * connection id, port, host name, processes, status counters) differ in length, without a lockstep drop or a
 * divergence; a real divergence is named by its request.
 */
@ExtendWith(NettyLeakExtension.class)
class MariaDbRequestAwareTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TABLE = "CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64), "
        + "n INT NOT NULL DEFAULT 0) ENGINE=InnoDB";
    private static final int SESSIONS = 8;
    private static final int JDBC_ROUNDS = 40;

    @TempDir
    Path dir;

    private static void assertClean(ServiceRuntime svc) {
        ReplicaStats rs = svc.replicas().get(0).stats();
        assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
        assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
        assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
        assertThat(svc.stats().protocol.framingErrors.sum()).as(Harness.describe(svc)).isZero();
        assertThat(svc.replicas().get(0).consistency().inSync()).as(Harness.describe(svc)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void perServerAnswersCompareEqualWithoutDropsAndARealDivergenceIsNamed(String mode) throws Exception {
        Path file = dir.resolve("rows.txt");
        Files.writeString(file, "loaded 1\nloaded 2\nloaded 3\n");
        try (AuthMariaDb primary = new AuthMariaDb("primary-secret");
             AuthMariaDb replica = new AuthMariaDb("replica-secret");
             Middlebox mb = Harness.start(AuthServers.service("maria", mode, Protocol.MYSQL, primary.hostPort(),
                 List.of(replica.hostPort()), List.of(AuthServers.auth("app", AuthServers.passwordFile(dir, "r",
                     replica.password)))))) {
            primary.root(TABLE);
            replica.root(TABLE);
            ServiceRuntime svc = mb.service("maria");
            int port = mb.port("maria");
            for (int i = 0; i < SESSIONS; i++) {
                String out = AuthMariaDb.client(port, primary.password, "INSERT INTO t (v) VALUES ('a" + i + "'), "
                    + "('b" + i + "'); SELECT NOW(6), CONNECTION_ID(), @@port, @@hostname; SHOW PROCESSLIST; "
                    + "SHOW GLOBAL STATUS LIKE 'Questions'; SELECT COUNT(*), SUM(n) FROM t; LOAD DATA LOCAL INFILE '"
                    + file + "' INTO TABLE t (v); UPDATE t SET n = n + 1 WHERE id % 2 = " + (i % 2) + "; "
                    + "SELECT v FROM t WHERE id = 1", "--local-infile=1");
                assertThat(out).contains(String.valueOf(primary.port)).endsWith("a0");
            }
            String url = "jdbc:mariadb://127.0.0.1:" + port + "/d?user=app&password=" + primary.password
                + "&useServerPrepStmts=true&sslMode=disable";
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement insert = c.prepareStatement("INSERT INTO t (v, n) VALUES (?, ?)");
                 PreparedStatement select = c.prepareStatement("SELECT v, n FROM t WHERE id = ?");
                 PreparedStatement clock = c.prepareStatement("SELECT NOW(6), CONNECTION_ID(), ?")) {
                for (int i = 0; i < JDBC_ROUNDS; i++) {
                    insert.setString(1, "jdbc " + i);
                    insert.setInt(2, i);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                    select.setInt(1, 1);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("a0");
                    }
                    clock.setInt(1, i);
                    try (ResultSet rs = clock.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(3)).isEqualTo(i);
                    }
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID(), "
                        + "@@hostname, RAND()")) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertClean(svc);
            assertThat(svc.replicas().get(0).stats().compared.sum()).as(Harness.describe(svc))
                .isEqualTo(SESSIONS + 1);
            assertThat(svc.stats().protocol.noisy.sum()).as(Harness.describe(svc))
                .isGreaterThanOrEqualTo(SESSIONS * 3 + JDBC_ROUNDS * 2);
            assertThat(replica.tableHash("t", "id, v, n")).isEqualTo(primary.tableHash("t", "id, v, n"));

            replica.root("UPDATE d.t SET v = 'changed on the replica' WHERE id = 3");
            assertThat(AuthMariaDb.client(port, primary.password, "SELECT NOW(); SELECT v FROM t WHERE id = 2; "
                + "SELECT n, v FROM t WHERE id = 3; SELECT CONNECTION_ID()")).contains("b0");
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.replicas().get(0).stats().divergent.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.replicas().get(0).consistency().inSync()).isFalse();
            assertThat(svc.replicas().get(0).consistency().reason()).as("the divergent request is named")
                .contains("(SELECT n, v ...)");
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
        }
    }
}
