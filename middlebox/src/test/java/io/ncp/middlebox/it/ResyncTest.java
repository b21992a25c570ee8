package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.admin.AdminServer;
import io.ncp.middlebox.cli.Main;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HookCommand;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.JournalConfig;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ResyncConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ReplicaConsistency.State;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online resync of a STALE replica with real Redis servers on loopback: a replica killed and restarted empty is
 * resynced through the admin API (the CLI) while a client keeps writing, and ends with the primary's dataset; a
 * failing snapshot hook and a snapshot past maxPause leave it STALE with the reason and release the clients;
 * autoResync repairs a deliberate divergence by itself. The hooks are the documented Redis recipe (BGSAVE, copy the
 * RDB, DEBUG RELOAD NOSAVE).
 */
@ExtendWith(NettyLeakExtension.class)
class ResyncTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The Redis restore recipe of docs/resync.md, as a script file. */
    private HookCommand restoreHook() throws Exception {
        Path script = dir.resolve("redis-restore.sh");
        Files.writeString(script, String.join("\n",
            "set -e",
            "P=\"redis-cli -h $NCP_PRIMARY_HOST -p $NCP_PRIMARY_PORT\"",
            "R=\"redis-cli -h $NCP_REPLICA_HOST -p $NCP_REPLICA_PORT\"",
            "i=0",
            "while $P INFO persistence | grep -q 'rdb_bgsave_in_progress:1'; do",
            "  i=$((i+1)); [ $i -lt 1200 ] || { echo 'BGSAVE still running after 60 s' >&2; exit 1; }",
            "  sleep 0.05",
            "done",
            "$P INFO persistence | grep -q 'rdb_last_bgsave_status:ok' || { echo 'BGSAVE failed' >&2; exit 1; }",
            "PD=$($P CONFIG GET dir | tail -1); RD=$($R CONFIG GET dir | tail -1)",
            "cp \"$PD/dump.rdb\" \"$RD/resync.tmp\" && mv \"$RD/resync.tmp\" \"$RD/dump.rdb\"",
            "$R DEBUG RELOAD NOSAVE | grep -q OK || { echo 'DEBUG RELOAD failed' >&2; exit 1; }", ""));
        return HookCommand.command(List.of("sh", script.toString()));
    }

    /** BGSAVE as a command (redis-cli). */
    private static HookCommand bgsave() {
        return HookCommand.command(List.of("sh", "-c", "redis-cli -h $NCP_PRIMARY_HOST -p $NCP_PRIMARY_PORT BGSAVE "
            + "| grep -q 'Background saving started' || { echo 'BGSAVE refused' >&2; exit 1; }"));
    }

    /** BGSAVE as a request the middlebox sends itself. */
    private static HookCommand bgsaveRequest() {
        return HookCommand.request("BGSAVE\r\n".getBytes(StandardCharsets.US_ASCII),
            "+Background saving started".getBytes(StandardCharsets.US_ASCII));
    }

    private Middlebox start(RedisServer primary, RedisServer replica, ResyncConfig resync) {
        return start(primary, replica, resync, Protocol.BYTES);
    }

    private Middlebox start(RedisServer primary, RedisServer replica, ResyncConfig resync, Protocol protocol) {
        ServiceConfig svc = Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
            replica.hostPort()).withResync(resync).withProtocol(protocol);
        MiddleboxConfig cfg = Harness.config(ReplicaLoop.SHARED, svc).withJournal(new JournalConfig(
            dir.resolve("journal"), 1L << 30, FsyncPolicy.NEVER));
        return Middlebox.start(cfg);
    }

    private static ResyncConfig resync(HookCommand snapshot, HookCommand restore, Duration maxPause, boolean auto) {
        return new ResyncConfig(snapshot, restore, Duration.ofMillis(20), maxPause, Duration.ofSeconds(60),
            Duration.ofSeconds(60), auto);
    }

    /** Writes through the middlebox until stopped (bounded: 120 s), a new session every 25 commands. */
    private static final class Load implements AutoCloseable {
        final AtomicLong ops = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;

        Load(int port) {
            thread = new Thread(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                try {
                    while (!stop.get() && System.nanoTime() < end) {
                        try (RespClient c = new RespClient("127.0.0.1", port)) {
                            for (int i = 0; i < 25 && !stop.get(); i++) {
                                long n = ops.incrementAndGet();
                                assertThat(c.call("SET", "k" + (n % 5000), "v" + n)).isEqualTo("OK");
                                assertThat(c.call("INCR", "counter")).isInstanceOf(Long.class);
                                c.call("RPUSH", "log", String.valueOf(n));
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "resync-load");
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
    void aReplicaRestartedEmptyIsResyncedThroughTheAdminApiWhileAClientKeepsWriting() throws Exception {
        Path tokenFile = dir.resolve("admin-token");
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(primary, replica, resync(bgsaveRequest(), restoreHook(), Duration.ofSeconds(2),
                 false));
             AdminServer admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0), tokenFile, false,
                 null, null), mb)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(300, svc);
                replica.restartEmpty();
                Harness.await("STALE after the restart", WAIT, () -> r.consistency().state() == State.STALE,
                    () -> Harness.describe(svc));
                load.awaitMore(300, svc);
                assertThat(replica.digest()).isNotEqualTo(primary.digest());
                int exit = Main.execute("resync", "redis", replica.hostPort(), "--reason", "restarted empty",
                    "--wait", "--timeout", "60s", "--admin", admin.url(), "--admin-token-file", tokenFile.toString());
                assertThat(exit).as(Harness.describe(svc) + " " + r.consistency().history()).isZero();
                assertThat(r.consistency().state()).isEqualTo(State.IN_SYNC);
                load.awaitMore(300, svc);
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(replica.digest()).as(Harness.describe(svc)).isEqualTo(primary.digest());
            assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            ResyncProgress p = r.consistency().resync();
            assertThat(p.phase()).isEqualTo(ResyncProgress.Phase.DONE);
            assertThat(p.pauseMillis()).as("measured pause").isBetween(0L, 2_000L);
            assertThat(p.journalBytes()).as("the load went on during the restore").isPositive();
            assertThat(p.replayedBytes()).isEqualTo(p.journalBytes());
            assertThat(r.stats().resyncs.sum()).isEqualTo(1);
            assertThat(r.consistency().history().stream().map(t -> t.to()).toList()).as(r.consistency().history()
                .toString()).endsWith(State.STALE, State.RESYNCING, State.IN_SYNC);
        }
    }

    @Test
    void aFailingSnapshotHookLeavesTheReplicaStaleWithItsErrorAndReleasesTheClients() throws Exception {
        HookCommand failing = HookCommand.command(List.of("sh", "-c", "echo 'starting' >&2; echo 'no snapshot today' "
            + ">&2; exit 3"));
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(primary, replica, resync(failing, restoreHook(), Duration.ofSeconds(2), false))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(100, svc);
                assertThat(mb.resyncs().start(svc, r, false, "test")).contains("not STALE");
                assertThat(mb.resyncs().start(svc, r, true, "test")).isNull();
                Harness.await("STALE: the hook failed", WAIT, () -> r.consistency().state() == State.STALE,
                    () -> Harness.describe(svc));
                assertThat(r.consistency().reason()).contains("snapshot hook exited 3: no snapshot today");
                assertThat(r.consistency().resync().failure()).contains("no snapshot today");
                load.awaitMore(100, svc); // released: the clients go on
            }
            assertThat(r.stats().resyncFailures.sum()).isEqualTo(1);
            Harness.awaitSettled(svc, WAIT);
        }
    }

    @Test
    void aSnapshotPastMaxPauseIsGivenUpAndTheClientsReleased() throws Exception {
        HookCommand slow = HookCommand.command(List.of("sh", "-c", "sleep 30"));
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(primary, replica, resync(slow, restoreHook(), Duration.ofMillis(300), false))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(100, svc);
                assertThat(mb.resyncs().start(svc, r, true, "test")).isNull();
                Harness.await("STALE: past maxPause", WAIT, () -> r.consistency().state() == State.STALE,
                    () -> Harness.describe(svc));
                assertThat(r.consistency().reason()).contains("maxPause 300 ms").contains("timed out");
                assertThat(r.consistency().resync().pauseMillis()).isGreaterThanOrEqualTo(300);
                load.awaitMore(100, svc);
            }
            Harness.awaitSettled(svc, WAIT);
        }
    }

    @Test
    void aRedisServicesSnapshotPointIsReachedWhenEveryRequestWasAnsweredWithoutWaitingForQuiet() throws Exception {
        // quiet (10 s) longer than maxPause (3 s): only the counted replies of protocol: redis can reach the point
        ResyncConfig slowQuiet = new ResyncConfig(bgsaveRequest(), restoreHook(), Duration.ofSeconds(10),
            Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(60), true);
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(primary, replica, slowQuiet, Protocol.REDIS)) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(200, svc);
                try (RespClient direct = replica.client()) {
                    assertThat(direct.call("SET", "only-on-the-replica", "x")).isEqualTo("OK");
                }
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("GET", "only-on-the-replica")).isNull();
                }
                Harness.await("autoResync ran and ended IN_SYNC", WAIT, () -> r.stats().autoResyncs.sum() >= 1
                    && r.consistency().state() == State.IN_SYNC, () -> Harness.describe(svc) + " "
                    + r.consistency().history());
                load.awaitMore(200, svc);
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(replica.digest()).as(Harness.describe(svc)).isEqualTo(primary.digest());
            assertThat(r.consistency().resync().primaryDoneBy()).isEqualTo("every request answered");
        }
    }

    @Test
    void autoResyncRepairsADeliberateDivergence() throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = start(primary, replica, resync(bgsave(), restoreHook(), Duration.ofSeconds(2), true))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaTarget r = svc.replicas().get(0);
            try (Load load = new Load(mb.port("redis"))) {
                load.awaitMore(200, svc);
                try (RespClient direct = replica.client()) {
                    assertThat(direct.call("SET", "only-on-the-replica", "x")).isEqualTo("OK");
                }
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("GET", "only-on-the-replica")).isNull();
                }
                Harness.await("autoResync ran and ended IN_SYNC", WAIT, () -> r.stats().autoResyncs.sum() == 1
                    && r.consistency().state() == State.IN_SYNC, () -> Harness.describe(svc) + " "
                    + r.consistency().history());
                load.awaitMore(200, svc);
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(replica.digest()).as(Harness.describe(svc)).isEqualTo(primary.digest());
            assertThat(r.consistency().state()).as(r.consistency().reason()).isEqualTo(State.IN_SYNC);
            assertThat(r.consistency().history().stream().map(t -> t.reason()).toList().toString())
                .contains("answers diverged").contains("autoResync");
        }
    }
}
