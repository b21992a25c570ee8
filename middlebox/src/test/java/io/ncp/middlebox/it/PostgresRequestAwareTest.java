package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.PostgresServer;
import io.ncp.testkit.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code protocol: postgres} with real PostgreSQL on loopback through the middlebox (async and lockstep, one replica):
 * per-server answers (backend pid, clock, port) of other lengths compare equal without a lockstep drop, a real
 * divergence is named by its request, COPY FROM STDIN (simple and extended protocol) and a Flush without Sync work in
 * lockstep, garbage bytes reach the primary whose answer reaches the client, a base backup taken through the
 * middlebox (replication connections) is not replicated.
 */
@ExtendWith(NettyLeakExtension.class)
class PostgresRequestAwareTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static ServiceConfig postgres(String mode, PostgresServer primary, PostgresServer replica) {
        return Harness.service("pg", mode, primary.hostPort(), CompareMode.POSTGRES, 64L << 20, replica.hostPort())
            .withProtocol(Protocol.POSTGRES);
    }

    private static void assertClean(ServiceRuntime svc) {
        ReplicaStats rs = svc.replicas().get(0).stats();
        assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
        assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
        assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
        assertThat(svc.replicas().get(0).consistency().inSync()).as(Harness.describe(svc)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void perServerAnswersCompareEqualWithoutDropsAndARealDivergenceIsNamed(String mode) throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = Harness.start(postgres(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("pg");
            int port = mb.port("pg");
            try (PgWire c = new PgWire(port)) {
                c.query("CREATE TABLE t (k int PRIMARY KEY, v text)");
                c.query("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 50) g");
                for (int i = 0; i < 100; i++) {
                    assertThat(c.value("SELECT pg_backend_pid()")).isNotEmpty();
                    assertThat(c.value("SELECT now()")).isNotEmpty();
                    assertThat(c.value("SELECT inet_server_port()")).isEqualTo(String.valueOf(primary.port()));
                    c.extended("SELECT clock_timestamp(), pg_backend_pid()", 'S');
                    assertThat(c.untilReady().stream().map(m -> m.type()).toList()).contains('D');
                    assertThat(c.value("SELECT v FROM t WHERE k = " + (1 + i % 50))).isEqualTo("v" + (1 + i % 50));
                }
            }
            try (Connection j = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                     + "/postgres?user=postgres&sslmode=disable");
                 PreparedStatement ps = j.prepareStatement("UPDATE t SET v = v || ? WHERE k = ?")) {
                for (int i = 0; i < 40; i++) { // named server-side statements after the 5th execution
                    ps.setString(1, "+");
                    ps.setInt(2, 1 + i % 50);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                    try (Statement s = j.createStatement(); ResultSet rs = s.executeQuery("SELECT now(), "
                            + "pg_backend_pid(), random()")) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertClean(svc);
            assertThat(svc.replicas().get(0).stats().compared.sum()).as(Harness.describe(svc)).isEqualTo(2);
            assertThat(svc.stats().protocol.noisy.sum()).as(Harness.describe(svc)).isGreaterThanOrEqualTo(440);
            assertThat(svc.stats().protocol.ungated.sum()).as("pgjdbc sends no Flush: gated per exchange throughout")
                .isZero();
            assertThat(replica.tableHash("t", "k")).isEqualTo(primary.tableHash("t", "k"));

            try (Connection r = replica.connect(); Statement s = r.createStatement()) {
                s.execute("UPDATE t SET v = 'changed on the replica' WHERE k = 7");
            }
            try (PgWire c = new PgWire(port)) {
                c.value("SELECT pg_backend_pid()");
                c.value("SELECT v FROM t WHERE k = 6");
                assertThat(c.value("SELECT v FROM t WHERE k = 7")).startsWith("v7");
                c.value("SELECT now()");
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.replicas().get(0).stats().divergent.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.replicas().get(0).consistency().inSync()).isFalse();
            assertThat(svc.replicas().get(0).consistency().reason()).as("the divergent request is named")
                .contains("at request #3 (SELECT v FROM ...)");
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void copyFromStdinAndAFlushWithoutSyncWork(String mode) throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = Harness.start(postgres(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("pg");
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                rows.add(i + "\trow " + i);
            }
            try (PgWire c = new PgWire(mb.port("pg"))) {
                c.query("CREATE TABLE c (k int PRIMARY KEY, v text)");
                assertThat(types(c.copyIn("COPY c FROM STDIN", rows.subList(0, 1000)))).isEqualTo("CZ");
                assertThat(types(c.copyInExtended("COPY c FROM STDIN", rows.subList(1000, 2000))))
                    .isEqualTo("12nGCZ");
                assertThat(c.value("SELECT count(*) FROM c")).isEqualTo("2000");
                assertThat(types(c.query("SELECT now(); INSERT INTO c VALUES (-1, 'x'); SELECT 1")))
                    .isEqualTo("TDCCTDCZ");
            }
            try (PgWire c = new PgWire(mb.port("pg"))) { // a Flush: the client waits for answers without a Sync
                c.extended("SELECT v FROM c WHERE k = 5", 'H');
                assertThat(types(c.until('C'))).isEqualTo("12TDC");
                c.send('S', new byte[0]);
                assertThat(types(c.untilReady())).isEqualTo("Z");
                assertThat(c.value("SELECT count(*) FROM c")).isEqualTo("2001");
            }
            Harness.awaitSettled(svc, WAIT);
            assertClean(svc);
            assertThat(svc.stats().protocol.ungated.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(replica.tableHash("c", "k")).isEqualTo(primary.tableHash("c", "k"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void garbageBytesReachThePrimaryWhoseAnswerReachesTheClient(String mode) throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = Harness.start(postgres(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("pg");
            for (int i = 0; i < 5; i++) {
                try (PgWire c = new PgWire(mb.port("pg"))) {
                    assertThat(c.value("SELECT 1")).isEqualTo("1");
                    c.raw("\u0001\u0002hello, not postgres".getBytes(StandardCharsets.US_ASCII));
                    PgWire.Message m = c.read();
                    assertThat(m.type()).as(m.text()).isEqualTo('E');
                    assertThat(m.text()).contains("invalid frontend message type 1");
                    assertThat(c.rest()).as("then the server closes").isEmpty();
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().protocol.framingErrors.sum()).as(Harness.describe(svc)).isEqualTo(5);
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(svc.replicas().get(0).stats().divergent.sum()).as(Harness.describe(svc)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void aBaseBackupThroughTheMiddleboxIsNotReplicated(String mode) throws Exception {
        Path dir = Files.createTempDirectory("ncp-basebackup-");
        try (PostgresServer primary = PostgresServer.start(); PostgresServer replica = PostgresServer.start();
             Middlebox mb = Harness.start(postgres(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("pg");
            ManagedProcess.run(List.of(Binaries.require("pg_basebackup", "postgresql").toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(mb.port("pg")), "-U", "postgres", "-D", dir.resolve("b").toString(), "-Ft",
                "-X", "stream", "-c", "fast", "-w"), Duration.ofMinutes(2));
            assertThat(dir.resolve("b").resolve("base.tar")).exists();
            try (PgWire c = new PgWire(mb.port("pg"))) {
                assertThat(c.value("SELECT count(*) FROM pg_stat_replication")).isEqualTo("0");
                assertThat(c.value("SELECT pg_backend_pid()")).isNotEmpty();
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().protocol.unreplicated.sum()).as("its replication connections")
                .as(Harness.describe(svc)).isGreaterThanOrEqualTo(1);
            assertClean(svc);
            assertThat(svc.replicas().get(0).stats().compared.sum()).as(Harness.describe(svc))
                .isGreaterThanOrEqualTo(1);
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    /** The message types of {@code messages}, e.g. {@code TDCZ}. */
    static String types(List<PgWire.Message> messages) {
        return messages.stream().map(m -> String.valueOf(m.type())).collect(Collectors.joining());
    }
}
