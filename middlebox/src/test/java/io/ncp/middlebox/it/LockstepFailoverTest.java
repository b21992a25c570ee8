package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.Binaries;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.PostgresServer;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zero RPO: the primary is killed (kill -9) while clients write through the middlebox on long-lived connections. In
 * lockstep a client has only seen answers every IN_SYNC replica produced too, so every acknowledged write is on the
 * promoted replica; the clients' sessions are carried over to it and go on without reconnecting or a single error;
 * the other replica stays IN_SYNC with it. Async gives the same on an IN_SYNC replica (its copies are complete), with
 * the recovery point reported. Real Redis and PostgreSQL (pgbench).
 */
@ExtendWith(NettyLeakExtension.class)
class LockstepFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lockstep", "async"})
    void clientsKeepTheirSessionsAndNoAcknowledgedWriteIsLost(String mode) throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start();
             Middlebox mb = Harness.start(FailoverTest.withRedisFailover(Harness.service("redis", mode,
                 primary.hostPort(), CompareMode.BYTES, 64L << 20, r1.hostPort(), r2.hostPort())))) {
            ServiceRuntime svc = mb.service("redis");
            int clients = 4;
            AtomicInteger acked = new AtomicInteger();
            List<String> errors = new CopyOnWriteArrayList<>();
            List<int[]> ackedPerClient = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int[] last = new int[1];
                ackedPerClient.add(last);
                int id = t;
                Thread th = new Thread(() -> write(mb.port("redis"), id, last, acked, errors), "client-" + t);
                threads.add(th);
                th.start();
            }
            Harness.await("writes before the kill", WAIT, () -> acked.get() >= 2000 || !errors.isEmpty(),
                errors::toString);
            primary.process().kill(); // kill -9: every connection of the primary is gone at once
            int atKill = acked.get();
            Harness.await("writes after the failover", WAIT, () -> acked.get() >= atKill + 2000
                || !errors.isEmpty(), () -> errors + " " + Harness.describe(svc));
            for (Thread th : threads) {
                th.interrupt();
                th.join(30_000);
            }
            assertThat(errors).as("client-visible errors").isEmpty();
            assertThat(svc.failovers()).hasSize(1);
            FailoverRecord f = svc.failovers().get(0);
            assertThat(f.to()).isEqualTo(r1.hostPort());
            assertThat(f.carried()).as("every live session carried over").isEqualTo(clients);
            assertThat(f.reset()).isZero();
            try (RespClient promoted = r1.client()) {
                for (int t = 0; t < clients; t++) {
                    int n = ackedPerClient.get(t)[0];
                    assertThat(promoted.call("GET", "counter:" + t)).as("client %d's acknowledged INCRs", t)
                        .isEqualTo(String.valueOf(n));
                    for (int i = 1; i <= n; i += 97) {
                        assertThat(promoted.call("GET", "k:" + t + ":" + i)).isEqualTo(String.valueOf(i));
                    }
                }
            }
            Harness.awaitSettled(svc, WAIT);
            Harness.await("the other replica identical to the promoted one", WAIT,
                () -> r2.digest().equals(r1.digest()), () -> Harness.describe(svc));
            assertThat(svc.replicas().get(1).consistency().state()).isEqualTo(ReplicaConsistency.State.IN_SYNC);
            assertThat(f.unreceivedBytes()).as("recovery point: bytes the promoted replica never got").isZero();
        }
    }

    /** One long-lived connection: SET k:t:i i, INCR counter:t, checking each answer, until interrupted. */
    private static void write(int port, int t, int[] last, AtomicInteger acked, List<String> errors) {
        try (RespClient c = new RespClient("127.0.0.1", port)) {
            for (int i = 1; !Thread.currentThread().isInterrupted(); i++) {
                Object set = c.call("SET", "k:" + t + ":" + i, String.valueOf(i));
                Object incr = c.call("INCR", "counter:" + t);
                if (!"OK".equals(set) || !Long.valueOf(i).equals(incr)) {
                    errors.add("client " + t + " write " + i + ": " + set + " " + incr);
                    return;
                }
                last[0] = i;
                acked.incrementAndGet();
            }
        } catch (RuntimeException e) {
            errors.add("client " + t + ": " + e);
        }
    }

    @Test
    void pgbenchGoesOnOnThePromotedReplica() throws Exception {
        try (PostgresServer primary = PostgresServer.start(); PostgresServer r1 = PostgresServer.start();
             PostgresServer r2 = PostgresServer.start();
             Middlebox mb = Harness.start(postgresFailover(Harness.service("pg", "lockstep", primary.hostPort(),
                 CompareMode.POSTGRES, 256L << 20, r1.hostPort(), r2.hostPort())))) {
            int port = mb.port("pg");
            pgbench(port, Duration.ofMinutes(3), "-i", "-q", "-s", "1");
            ServiceRuntime svc = mb.service("pg");
            Harness.awaitSettled(svc, WAIT);
            String[] out = new String[1];
            Thread bench = new Thread(() -> out[0] = pgbench(port, Duration.ofMinutes(3), "-c", "1", "-T", "12",
                "-n"));
            bench.start();
            Harness.await("pgbench running", WAIT, () -> svc.stats().active.sum() >= 1, () -> Harness.describe(svc));
            Thread.sleep(3000); // let it commit transactions on the primary first (sets the scene, asserts nothing)
            primary.crash(); // the postmaster and its backends die at once: the session's connection ends, no message
            bench.join(Duration.ofMinutes(3).toMillis());
            assertThat(out[0]).as("pgbench finished").isNotNull();
            Matcher processed = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(out[0]);
            assertThat(processed.find()).as(out[0]).isTrue();
            Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(out[0]);
            assertThat(!failed.find() || failed.group(1).equals("0")).as(out[0]).isTrue();
            assertThat(svc.failovers()).as(Harness.describe(svc)).hasSize(1);
            assertThat(svc.failovers().get(0).carried()).isEqualTo(1);
            Harness.awaitSettled(svc, WAIT);
            long tx = Long.parseLong(processed.group(1));
            assertThat(r1.tableHash("pgbench_history", "tid, bid, aid, mtime")).as("every committed transaction")
                .startsWith(tx + ":");
            for (String[] t : new String[][] {{"pgbench_accounts", "aid"}, {"pgbench_tellers", "tid"},
                {"pgbench_branches", "bid"}}) {
                assertThat(r2.tableHash(t[0], t[1])).as(t[0]).isEqualTo(r1.tableHash(t[0], t[1]));
            }
        }
    }

    /** SSLRequest probes: a PostgreSQL server without TLS answers 'N'. */
    private static ServiceConfig postgresFailover(ServiceConfig s) {
        byte[] sslRequest = {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f};
        return s.withFailover(FailoverConfig.defaults().withProbe(sslRequest, "N".getBytes(StandardCharsets.US_ASCII)));
    }

    private static String pgbench(int port, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Binaries.require("pgbench", "postgresql").toString(), "-h",
            "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        return ManagedProcess.run(cmd, timeout);
    }
}
