package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica briefly unreachable without refusing (its redis-server SIGSTOPped for a few seconds; the test fills its
 * accept queue, so that new connections to it time out instead of waiting there) while a client writes
 * through the middlebox and opens new sessions: with the catch-up journal its copies journal what the replica cannot
 * take (from their first byte when the connect times out or the replica is DOWN) and deliver it, in order, once it
 * answers again, so it ends IN_SYNC with the primary's dataset and no copy damaged. Negative controls: an outage
 * longer than the replica timeout, and a replica killed and restarted empty during the outage, leave it STALE.
 */
@ExtendWith(NettyLeakExtension.class)
class ReplicaOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Middlebox start(RedisServer primary, RedisServer replica, Duration replicaTimeout) {
        ServiceConfig svc = Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 1L << 20,
            replica.hostPort());
        MiddleboxConfig cfg = Harness.config(ReplicaLoop.SHARED, svc).withJournal(new JournalConfig(
            dir.resolve("journal"), 1L << 30, FsyncPolicy.NEVER)).withReplicaTimeout(replicaTimeout);
        return Middlebox.start(cfg);
    }

    /**
     * A replica whose accept queue the test can fill while it is stopped (a listen backlog of 128: about 129
     * connections), and still large enough for the copies reconnecting at once after it resumed (with a backlog of 2
     * a run saw the replica reset two of those connections, with 0 answer bytes).
     */
    private static RedisServer fillableReplica() {
        return RedisServer.start("--tcp-backlog", "128");
    }

    /**
     * Stops the replica (SIGSTOP) with the load paused, and fills its accept queue with idle connections of the test's
     * own until a connect times out: from then on every connect to it times out (its SYNs are dropped), none
     * completes half way. The caller closes the returned sockets after the replica resumed.
     */
    private static List<Socket> stopAndFill(RedisServer replica, Load load) throws Exception {
        load.paused.set(true);
        try {
            Harness.await("the load paused", WAIT, () -> load.idle.get(), () -> "");
            replica.process().pause();
            List<Socket> filler = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", replica.port()), 500);
                    filler.add(s);
                } catch (SocketTimeoutException full) {
                    s.close();
                    return filler;
                }
            }
            throw new AssertionError("the stopped replica's accept queue took 300 connections");
        } finally {
            load.paused.set(false);
        }
    }

    private static void closeAll(List<Socket> sockets) throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
    }

    /**
     * Writes through the middlebox until stopped (bounded: 120 s), a new session every 20 commands, each ended
     * gracefully (causal session order applies to sessions the middlebox saw end before the next opened).
     */
    private static final class Load implements AutoCloseable {
        final AtomicLong ops = new AtomicLong();
        final AtomicLong sessions = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        /** Set: no new session opens (the thread waits, {@link #idle}); bounded by the thread's own deadline. */
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicBoolean idle = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Load(int port) {
            thread = new Thread(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                try {
                    while (!stop.get() && System.nanoTime() < end) {
                        if (paused.get()) {
                            idle.set(true);
                            Thread.sleep(5);
                            continue;
                        }
                        idle.set(false);
                        try (RespClient c = new RespClient("127.0.0.1", port)) {
                            sessions.incrementAndGet();
                            for (int i = 0; i < 20 && !stop.get(); i++) {
                                long n = ops.incrementAndGet();
                                assertThat(c.call("SET", "k" + (n % 3000), "v" + n)).isEqualTo("OK");
                                assertThat(c.call("INCR", "counter")).isInstanceOf(Long.class);
                                c.call("RPUSH", "log", String.valueOf(n));
                            }
                            c.finish(); // the middlebox saw this session end before the next one opens
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "outage-load");
            thread.start();
        }

        void awaitMore(long n, ServiceRuntime svc) {
            long target = ops.get() + n;
            Harness.await(n + " more writes", WAIT, () -> ops.get() >= target || failure.get() != null,
                () -> Harness.describe(svc));
            assertThat(failure.get()).isNull();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(WAIT.toMillis());
            assertThat(thread.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void aReplicaStoppedForSecondsCatchesUpFromTheJournal() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = fillableReplica();
             Middlebox mb = start(primary, replica, Duration.ofSeconds(30))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(300, svc);
                RespClient across = new RespClient("127.0.0.1", mb.port("redis")); // a session open across the stop
                assertThat(across.call("SET", "across", "before")).isEqualTo("OK");
                List<Socket> filler = stopAndFill(replica, load);
                try {
                    Harness.await("connects to the stopped replica time out", WAIT,
                        () -> r.stats().connectFailures.sum() > 0, () -> Harness.describe(svc));
                    // (its own key: its order against the concurrent load sessions is not kept, nor required)
                    assertThat(across.call("SET", "across", "during the stop")).isEqualTo("OK");
                    long sessions = load.sessions.get();
                    Harness.await("sessions opened during the stop", WAIT, () -> load.sessions.get() >= sessions + 20,
                        () -> Harness.describe(svc));
                    assertThat(r.consistency().state()).as(r.consistency().history().toString())
                        .isEqualTo(State.CATCHING_UP);
                } finally {
                    replica.process().resume();
                }
                assertThat(across.call("SET", "across", "after")).isEqualTo("OK");
                across.finish();
                load.awaitMore(300, svc);
                closeAll(filler);
            }
            Harness.awaitSettled(svc, WAIT);
            Harness.await("IN_SYNC", WAIT, () -> r.consistency().state() == State.IN_SYNC,
                () -> Harness.describe(svc) + " " + r.consistency().history());
            assertThat(replica.digest()).as(Harness.describe(svc)).isEqualTo(primary.digest());
            assertThat(r.stats().damaged.sum()).as(Harness.describe(svc)).isZero();
            assertThat(r.stats().divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(r.consistency().history().toString()).doesNotContain("STALE");
            assertThat(r.stats().spilledBytes.sum()).as("journaled during the outage").isPositive();
            System.out.println("ReplicaOutageTest: " + Harness.describe(svc) + " " + r.consistency().history());
        }
    }

    @Test
    void anOutageLongerThanTheReplicaTimeoutLeavesTheReplicaStale() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = fillableReplica();
             Middlebox mb = start(primary, replica, Duration.ofSeconds(4))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(300, svc);
                List<Socket> filler = stopAndFill(replica, load);
                try {
                    Harness.await("STALE: unreachable past the replica timeout", WAIT,
                        () -> r.consistency().state() == State.STALE, () -> Harness.describe(svc));
                } finally {
                    replica.process().resume();
                }
                load.awaitMore(300, svc);
                closeAll(filler);
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.consistency().state()).isEqualTo(State.STALE);
            assertThat(r.consistency().history().toString()).contains("replica unreachable for").contains(
                "replicaTimeout 4 s");
        }
    }

    @Test
    void aReplicaKilledAndRestartedEmptyDuringTheOutageIsStale() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = fillableReplica();
             Middlebox mb = start(primary, replica, Duration.ofSeconds(30))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(300, svc);
                // a session open across the stop: its connection to the replica is what sees the restart (a restart
                // that no open connection sees is not detected: docs/failover.md)
                RespClient across = new RespClient("127.0.0.1", mb.port("redis"));
                assertThat(across.call("SET", "across", "before")).isEqualTo("OK");
                closeAll(stopAndFill(replica, load)); // (closed at once: the restart drops them anyway)
                assertThat(across.call("SET", "across", "during the stop")).isEqualTo("OK");
                Harness.await("connects to the stopped replica time out", WAIT,
                    () -> r.stats().connectFailures.sum() > 0, () -> Harness.describe(svc));
                long sessions = load.sessions.get();
                Harness.await("sessions opened during the stop", WAIT, () -> load.sessions.get() >= sessions + 20,
                    () -> Harness.describe(svc));
                assertThat(r.consistency().state()).isEqualTo(State.CATCHING_UP);
                replica.restartEmpty(); // SIGKILL of the stopped process, a new empty one on the port
                load.awaitMore(300, svc);
                across.finish();
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(r.consistency().state()).as(r.consistency().history().toString()).isEqualTo(State.STALE);
            assertThat(replica.digest()).isNotEqualTo(primary.digest());
        }
    }
}
