package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The primary dies (kill -9: refused connections; SIGSTOP: silence, no RST): the probes find it, it is fenced, an
 * IN_SYNC replica is promoted, and clients that connect meanwhile wait and are served by the new primary. Every
 * write acknowledged before or after is on the promoted replica, and the other replica ends identical to it.
 */
@ExtendWith(NettyLeakExtension.class)
class FailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** PING probes every 200 ms, 400 ms timeout, 3 misses. */
    static ServiceConfig withRedisFailover(ServiceConfig s) {
        return s.withFailover(FailoverConfig.defaults().withProbe("PING\r\n".getBytes(StandardCharsets.US_ASCII),
            "+PONG".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aKilledPrimaryIsReplacedAndClientsConnectingMeanwhileAreServedByTheNewOne() {
        failOver("kill", RedisServer::close);
    }

    @Test
    void aSilentPrimaryIsDetectedReplacedAndStaysFencedWhenItComesBack() {
        failOver("stop", p -> p.process().pause());
    }

    /**
     * A client's connect to a silent primary completes only after the promotion (its SYN waits in the full accept
     * queue of a primary that never accepts): the session must go to the new primary, never open on the fenced one.
     */
    @Test
    void aSessionWhosePrimaryConnectCompletesAfterThePromotionGoesToTheNewPrimary() throws Exception {
        try (SilentListener silent = new SilentListener(); RedisServer r1 = RedisServer.start();
             Middlebox mb = Middlebox.start(new MiddleboxConfig(2, 4096, 64L << 20, null, Duration.ZERO,
                 ReplicaLoop.SHARED, Duration.ofSeconds(30), null, List.of(withRedisFailover(Harness.service("redis",
                     silent.hostPort(), CompareMode.BYTES, 64L << 20, r1.hostPort())))));
             RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
            ServiceRuntime svc = mb.service("redis");
            Harness.await("the silent primary replaced", WAIT, () -> !svc.failovers().isEmpty(),
                () -> Harness.describe(svc));
            silent.acceptAndHold(); // the held SYN now completes: with the old primary, which never answers
            assertThat(c.call("SET", "late", "1")).as(Harness.describe(svc)).isEqualTo("OK");
            assertThat(svc.stats().fencedConnects.sum()).as("the connect to the fenced primary was made again")
                .isEqualTo(1);
            assertThat(r1.client().call("GET", "late")).isEqualTo("1");
        }
    }

    /**
     * A listener with a full accept queue (backlog 1, two connections queued, never accepted): further connects
     * hang in SYN_SENT, as with a stopped server whose queue filled. {@link #acceptAndHold} then lets them complete
     * to a server that never reads nor answers.
     */
    private static final class SilentListener implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        SilentListener() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket();
                s.connect(server.getLocalSocketAddress(), 5000);
                sockets.add(s);
            }
        }

        String hostPort() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        void acceptAndHold() {
            Thread t = new Thread(() -> {
                try {
                    while (!server.isClosed()) {
                        sockets.add(server.accept());
                    }
                } catch (IOException closed) {
                    // close() ends the loop
                }
            }, "silent-listener");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private void failOver(String how, java.util.function.Consumer<RedisServer> fault) {
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start();
             Middlebox mb = Harness.start(withRedisFailover(Harness.service("redis", primary.hostPort(),
                 CompareMode.BYTES, 64L << 20, r1.hostPort(), r2.hostPort())))) {
            ServiceRuntime svc = mb.service("redis");
            List<Integer> acked = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                if (i == 100) {
                    Harness.await("replicas caught up before the fault", WAIT, () -> r1.digest().equals(
                        primary.digest()) && r2.digest().equals(primary.digest()), () -> Harness.describe(svc));
                    fault.accept(primary);
                }
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) { // a new session per write
                    assertThat(c.call("SET", "k" + i, String.valueOf(i))).as("write %d (%s)", i, how)
                        .isEqualTo("OK");
                    acked.add(i);
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.failovers()).as(Harness.describe(svc)).hasSize(1);
            FailoverRecord f = svc.failovers().get(0);
            assertThat(f.from()).isEqualTo(primary.hostPort());
            assertThat(f.to()).as("the first listed IN_SYNC replica").isEqualTo(r1.hostPort());
            assertThat(f.firstAnswerMillis()).as("a client got an answer from the new primary").isPositive();
            assertThat(svc.primary().address()).isEqualTo(HostPort.parse("p", r1.hostPort()));
            assertThat(svc.primary().fenced()).containsExactly(HostPort.parse("p", primary.hostPort()));
            assertThat(acked).hasSize(200);
            for (int i : acked) {
                assertThat(r1.client().call("GET", "k" + i)).as("acknowledged write %d on the new primary", i)
                    .isEqualTo(String.valueOf(i));
            }
            Harness.await("the other replica identical to the new primary", WAIT,
                () -> r2.digest().equals(r1.digest()), () -> Harness.describe(svc));
            assertThat(svc.replicas().get(1).consistency().state()).isEqualTo(ReplicaConsistency.State.IN_SYNC);
            if (how.equals("stop")) {
                primary.process().resume();
                try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                    assertThat(c.call("SET", "after", "resume")).isEqualTo("OK");
                }
                Harness.awaitSettled(svc, WAIT);
                try (RespClient old = primary.client()) {
                    assertThat(old.call("EXISTS", "after")).as("the resumed old primary is fenced").isEqualTo(0L);
                }
                assertThat(r1.client().call("GET", "after")).isEqualTo("resume");
            }
        }
    }
}
