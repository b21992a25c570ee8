package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.app.Appliance;
import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three voters: middlebox 1 serves Redis with failover and asks middleboxes 2 and 3 (their admin APIs, a shared peer
 * token) before it declares the primary down. Each middlebox probes from its own loopback address (probeBind
 * 127.0.0.2, .3, .4) through a proxy in front of the primary that cuts off chosen sources; middlebox 1's clients'
 * connections come from 127.0.0.1 and are never cut off. One middlebox that cannot reach the primary is outvoted: no
 * failover, the primary keeps every write. Two cannot: the majority says down and the first IN_SYNC replica takes
 * over with every acknowledged write, as in {@link FailoverTest}.
 */
@ExtendWith(NettyLeakExtension.class)
class VotersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path dir;

    private Path token(String name, String value) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, value + "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static AdminConfig admin(Path tokenFile) {
        return new AdminConfig(new HostPort("127.0.0.1", 0), tokenFile, false, null, null);
    }

    /** A voter: no service of its own, may probe the primary (its allow-list), probes from {@code bind}. */
    private static Appliance voter(Path tokenFile, String primary, String bind) {
        return Appliance.start(Harness.config(ReplicaLoop.SHARED).withAdmin(admin(tokenFile))
            .withAllow(Harness.allow("127.0.0.1", primary)).withProbeBind(bind), QUIET);
    }

    @Test
    void oneVoterCutOffFromThePrimaryIsOutvotedTwoAreAMajority() throws Exception {
        Path peerToken = token("peer-token", "b7e1c0d2a9f8e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8");
        Path voter3Token = token("voter3-token", Files.readString(peerToken).strip()); // same token, own file
        Path ownToken = token("own-token", "0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c");
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start(); SourceFilterProxy proxy = new SourceFilterProxy(primary.hostPort());
             Appliance mb2 = voter(peerToken, proxy.address(), "127.0.0.3");
             Appliance mb3 = voter(voter3Token, proxy.address(), "127.0.0.4")) {
            ServiceConfig svcCfg = FailoverTest.withRedisFailover(Harness.service("redis", proxy.address(),
                CompareMode.BYTES, 64L << 20, r1.hostPort(), r2.hostPort()));
            svcCfg = svcCfg.withFailover(svcCfg.failover().withVoters(List.of(mb2.admin().url(), mb3.admin().url()),
                peerToken.toString()));
            MiddleboxConfig cfg = Harness.config(ReplicaLoop.SHARED, svcCfg).withAdmin(admin(ownToken))
                .withProbeBind("127.0.0.2");
            try (Appliance mb1 = Appliance.start(cfg, QUIET)) {
                Middlebox mb = mb1.middlebox();
                ServiceRuntime svc = mb.service("redis");
                List<Integer> acked = new ArrayList<>();
                writeUntil(mb, acked, 50, () -> false);
                Harness.await("replicas caught up", WAIT, () -> r1.digest().equals(primary.digest())
                    && r2.digest().equals(primary.digest()), () -> Harness.describe(svc));

                // (a) only middlebox 1 cannot reach the primary: it is outvoted, again and again
                proxy.block("127.0.0.2", SourceFilterProxy.Block.RESET);
                writeUntil(mb, acked, 10_000, () -> svc.stats().failoverVetoes.sum() >= 3);
                assertThat(svc.stats().failoverVetoes.sum()).as(Harness.describe(svc)).isGreaterThanOrEqualTo(3);
                assertThat(svc.failovers()).as("no failover: " + Harness.describe(svc)).isEmpty();
                assertThat(svc.primary().address()).isEqualTo(HostPort.parse("p", proxy.address()));
                assertThat(svc.lastVote()).startsWith("not down: 1 of 3 voters say down (down needs 2): "
                    + "this middlebox down; " + mb2.admin().url() + " up (answered); " + mb3.admin().url()
                    + " up (answered)");
                assertThat(Harness.describe(svc)).contains("\"lastVote\":\"not down: 1 of 3");
                int beforeCut = acked.size();
                try (RespClient direct = primary.client()) {
                    for (int i : acked) {
                        assertThat(direct.call("GET", "k" + i)).as("write %d on the primary", i)
                            .isEqualTo(String.valueOf(i));
                    }
                }

                // (b) middlebox 2 cannot reach it either (a black hole: its probes time out): 2 of 3 say down
                proxy.block("127.0.0.3", SourceFilterProxy.Block.SILENT);
                writeUntil(mb, acked, 10_000, () -> !svc.failovers().isEmpty());
                assertThat(svc.failovers()).as(Harness.describe(svc)).hasSize(1);
                writeUntil(mb, acked, acked.size() + 20, () -> false); // served by the new primary
                Harness.awaitSettled(svc, WAIT);
                FailoverRecord f = svc.failovers().get(0);
                assertThat(f.from()).isEqualTo(proxy.address());
                assertThat(f.to()).isEqualTo(r1.hostPort());
                assertThat(f.reason()).contains("2 of 3 voters say down (down needs 2): this middlebox down; "
                    + mb2.admin().url() + " down (3 probes missed (last: no answer within 400 ms))");
                assertThat(svc.lastVote()).startsWith("down: 2 of 3");
                assertThat(svc.primary().fenced()).containsExactly(HostPort.parse("p", proxy.address()));
                assertThat(acked.size()).isGreaterThan(beforeCut);
                try (RespClient promoted = r1.client()) {
                    for (int i : acked) {
                        assertThat(promoted.call("GET", "k" + i)).as("acknowledged write %d on the new primary", i)
                            .isEqualTo(String.valueOf(i));
                    }
                }
                Harness.await("the other replica identical to the new primary", WAIT,
                    () -> r2.digest().equals(r1.digest()), () -> Harness.describe(svc));
                assertThat(proxy.cutOff()).isPositive();
            }
        }
    }

    /** Writes k{n}=n through the middlebox, a new session per write, until {@code done} or {@code max} writes. */
    private static void writeUntil(Middlebox mb, List<Integer> acked, int max, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean() && acked.size() < max && System.nanoTime() < deadline) {
            int i = acked.size();
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                assertThat(c.call("SET", "k" + i, String.valueOf(i))).as("write %d", i).isEqualTo("OK");
                acked.add(i);
            }
        }
        assertThat(done.getAsBoolean() || acked.size() >= max).as("bounded wait for the condition (%d writes)",
            acked.size()).isTrue();
    }

    @Test
    void aProbeBindAddressThatIsNotLocalIsRefused() {
        MiddleboxConfig cfg = Harness.config(ReplicaLoop.SHARED).withProbeBind("192.0.2.1"); // TEST-NET-1
        assertThatThrownBy(() -> Middlebox.start(cfg)).isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("probeBind: '192.0.2.1' (192.0.2.1) is not an address of this host");
    }
}
