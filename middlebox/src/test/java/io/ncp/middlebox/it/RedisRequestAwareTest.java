package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code protocol: redis} with real Redis on loopback through the middlebox (async and lockstep, one replica): the
 * replay policy (CONFIG SET port is not replayed, a replica attaching with REPLICAOF is not replicated), the noise
 * model (an INFO / CLIENT LIST / CONFIG GET heavy mix compares equal, no lockstep drop), a real divergence found,
 * and a protocol error reaching the client before the reset.
 */
@ExtendWith(NettyLeakExtension.class)
class RedisRequestAwareTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ServiceConfig redis(String mode, RedisServer primary, RedisServer replica) {
        return Harness.service("redis", mode, primary.hostPort(), CompareMode.BYTES, 64L << 20, replica.hostPort())
            .withProtocol(Protocol.REDIS);
    }

    private static RespClient client(Middlebox mb) {
        return new RespClient("127.0.0.1", mb.port("redis"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void configSetPortOnAPortTakenOnThePrimaryLeavesTheReplicaWhereItWas(String mode) throws IOException {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Middlebox mb = Harness.start(redis(mode, primary, replica))) {
            String port = String.valueOf(taken.getLocalPort());
            try (RespClient c = client(mb)) {
                assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
                String err = "";
                try {
                    c.call("CONFIG", "SET", "port", port);
                } catch (IllegalStateException e) {
                    err = e.getMessage();
                }
                assertThat(err).as("the primary refuses a port in use").contains("ERR");
                assertThat(c.call("CONFIG", "SET", "dir", "/tmp", "port", port)).isNull(); // unreachable: throws
            } catch (IllegalStateException expected) {
                assertThat(expected.getMessage()).contains("ERR");
            }
            try (RespClient c = client(mb)) {
                assertThat(c.call("GET", "k")).isEqualTo("v");
            }
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, WAIT);
            try (RespClient r = replica.client()) {
                assertThat(r.call("CONFIG", "GET", "port")).isEqualTo(List.of("port",
                    String.valueOf(replica.port())));
                assertThat(r.call("GET", "k")).isEqualTo("v");
            }
            assertThat(replica.digest()).isEqualTo(primary.digest());
            assertThat(svc.stats().protocol.skipped.sum()).as(Harness.describe(svc)).isEqualTo(2);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(2);
            assertThat(svc.replicas().get(0).consistency().inSync()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void noisyCommandsCompareEqualWithoutDropsAndARealDivergenceIsFound(String mode) {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(redis(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("redis");
            try (RespClient c = client(mb)) {
                for (int i = 0; i < 200; i++) {
                    c.call("SET", "key" + i, "v" + i);
                    assertThat((String) c.call("INFO")).contains("run_id:");
                    assertThat((String) c.call("CLIENT", "LIST")).contains("addr=");
                    c.call("CONFIG", "GET", "*");
                    c.call("CLIENT", "ID");
                    c.call("TIME");
                    c.call("RANDOMKEY");
                    c.call("MULTI");
                    c.call("INFO", "server");
                    c.call("INCR", "counter");
                    c.call("EXEC");
                    assertThat(c.call("GET", "key" + i)).isEqualTo("v" + i);
                }
            }
            Harness.awaitSettled(svc, WAIT);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.stats().protocol.noisy.sum()).isEqualTo(200 * 7);
            assertThat(replica.digest()).isEqualTo(primary.digest());
            assertThat(svc.replicas().get(0).consistency().inSync()).isTrue();

            try (RespClient r = replica.client()) {
                r.call("SET", "key7", "changed on the replica");
            }
            try (RespClient c = client(mb)) {
                c.call("INFO");
                c.call("GET", "key6");
                assertThat(c.call("GET", "key7")).isEqualTo("v7");
                c.call("CLIENT", "LIST");
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.replicas().get(0).consistency().inSync()).isFalse();
            assertThat(svc.replicas().get(0).consistency().reason()).as("the divergent request is named")
                .contains("at request #3 (GET)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void aRedisReplicaAttachedThroughTheMiddleboxWorksAndIsNotReplicated(String mode) {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             RedisServer follower = RedisServer.start();
             Middlebox mb = Harness.start(redis(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("redis");
            try (RespClient c = client(mb)) {
                c.call("SET", "before", "1");
            }
            try (RespClient f = follower.client()) {
                f.call("REPLICAOF", "127.0.0.1", String.valueOf(mb.port("redis")));
            }
            Harness.await("the follower's link up", WAIT, () -> info(follower).contains("master_link_status:up"),
                () -> info(follower) + Harness.describe(svc));
            try (RespClient c = client(mb)) {
                c.call("SET", "after", "2");
            }
            Harness.await("the follower has the new key", WAIT, () -> "2".equals(get(follower, "after")),
                () -> Harness.describe(svc));
            assertThat(svc.stats().protocol.unreplicated.sum()).as(Harness.describe(svc)).isEqualTo(1);
            try (RespClient f = follower.client()) {
                f.call("REPLICAOF", "NO", "ONE");
            }
            Harness.awaitSettled(svc, WAIT);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(svc.replicas().get(0).consistency().inSync()).as(Harness.describe(svc)).isTrue();
            assertThat(replica.digest()).isEqualTo(primary.digest());
            try (RespClient r = replica.client()) {
                assertThat((String) r.call("INFO", "replication")).contains("role:master")
                    .contains("connected_slaves:0");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void aProtocolErrorReachesTheClientBeforeTheReset(String mode) throws IOException {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(redis(mode, primary, replica))) {
            byte[] bad = ("*1\r\n$4\r\nPING\r\n*1\r\n$-5\r\n" + "x".repeat(20_000)).getBytes(StandardCharsets.US_ASCII);
            String expected = "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n";
            for (int i = 0; i < 200; i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), mb.port("redis")), 5000);
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write(bad);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    String end = readUntilEnd(s.getInputStream(), got);
                    assertThat(got.toString(StandardCharsets.US_ASCII)).as("try %d (ended by %s)", i, end)
                        .isEqualTo(expected);
                }
            }
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().protocol.framingErrors.sum()).isEqualTo(200);
            // the bare resets once seen here (about 1 session in 800, lockstep) were primary connects that failed
            // before any SYN: a stale epoll event of a closed channel reached the new channel that reused its
            // descriptor (ClientHandler.connectPrimary)
            assertThat(svc.stats().primaryFailures.sum()).as("primary connects that failed").isZero();
        }
    }

    private static String info(RedisServer s) {
        try (RespClient c = s.client()) {
            return (String) c.call("INFO", "replication");
        }
    }

    private static Object get(RedisServer s, String key) {
        try (RespClient c = s.client()) {
            return c.call("GET", key);
        }
    }

    /** Reads into {@code into} until EOF ("eof") or a reset ("reset"). */
    private static String readUntilEnd(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0;) {
                into.write(buf, 0, n);
            }
            return "eof";
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return "reset";
            }
            throw e;
        }
    }
}
