package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ReplicaLoop;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.replica.MemoryGuard;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bounded resources: sessions per service, replicas that stop reading, every backlog under the memory guard. */
@ExtendWith(NettyLeakExtension.class)
class ResourceLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void clientsBeyondMaxSessionsAreRefusedAtOnceAndCounted() throws Exception {
        try (EchoServer primary = new EchoServer();
             Middlebox mb = Harness.start(Harness.service("echo", primary.hostPort(), CompareMode.NONE, 1 << 20)
                 .withMaxSessions(3))) {
            ServiceRuntime svc = mb.service("echo");
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(connect(mb.port("echo")));
                    echo(open.get(i), "s" + i);
                }
                assertThat(refused(mb.port("echo"))).as("the 4th client is refused at once").isIn("eof", "reset");
                assertThat(svc.stats().refused.sum()).isEqualTo(1);
                echo(open.get(0), "the admitted ones keep working");
                open.remove(0).close();
                Harness.await("a slot freed", WAIT, () -> svc.stats().active.sum() == 2, () -> Harness.describe(svc));
                try (Socket again = connect(mb.port("echo"))) {
                    echo(again, "admitted again");
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().refused.sum()).isEqualTo(1);
            assertThat(svc.stats().sessions.sum()).isEqualTo(4);
        }
    }

    @Test
    void aReplicaThatStopsReadingIsDroppedAfterTheReplicaTimeoutNotKeptForever() {
        try (RedisServer primary = RedisServer.start(); StallServer stalled = new StallServer();
             Middlebox mb = Middlebox.start(Harness.config(ReplicaLoop.SHARED, Harness.service("redis",
                 primary.hostPort(), CompareMode.BYTES, 1L << 30, stalled.hostPort()))
                 .withReplicaTimeout(Duration.ofSeconds(1)))) {
            ServiceRuntime svc = mb.service("redis");
            ReplicaStats rs = svc.replicas().get(0).stats();
            String big = "x".repeat(1 << 20);
            try (RespClient c = new RespClient("127.0.0.1", mb.port("redis"))) {
                for (int i = 0; i < 24; i++) { // more than the socket buffers take: the rest waits in the copy
                    assertThat(c.call("SET", "big" + i, big)).isEqualTo("OK");
                }
                Harness.await("the stalled copy dropped while its session is still open", WAIT,
                    () -> rs.stalled.sum() == 1, () -> Harness.describe(svc));
                assertThat(rs.lagging.sum()).as("not the backlog limit (1 GiB)").isZero();
                assertThat(c.call("DBSIZE")).isEqualTo(24L);
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(rs.backlogBytes.sum()).isZero();
        }
    }

    @Test
    void theMemoryGuardBoundsSmallBacklogsToo() throws Exception {
        // Session A ends (client FIN) but can never finish on the stalled replica, so the sessions opened after it
        // hold their bytes for that replica (causal order): small backlogs, far below their own limit and below the
        // old 1 MiB threshold of the guard. With the guard exhausted, each is dropped when more bytes arrive.
        System.setProperty(MemoryGuard.LIMIT_PROPERTY, "1MiB");
        try (HoldOpenServer primary = new HoldOpenServer(); StallServer stalled = new StallServer();
             Middlebox mb = Harness.start(Harness.service("hold", primary.hostPort(), CompareMode.NONE, 1L << 30,
                 stalled.hostPort()))) {
            ServiceRuntime svc = mb.service("hold");
            ReplicaStats rs = svc.replicas().get(0).stats();
            List<Socket> clients = new ArrayList<>();
            try {
                Socket a = connect(mb.port("hold"));
                clients.add(a);
                a.getOutputStream().write('a');
                a.shutdownOutput();
                Harness.await("session A ended at the front", WAIT, () -> svc.endedSessions() == 1,
                    () -> Harness.describe(svc));
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 8; i++) {
                    Socket s = connect(mb.port("hold"));
                    clients.add(s);
                    s.getOutputStream().write(chunk);
                }
                Harness.await("every held copy waits for A", WAIT, () -> rs.orderWaits.sum() == 8,
                    () -> Harness.describe(svc));
                for (int i = 1; i < clients.size(); i++) {
                    clients.get(i).getOutputStream().write(chunk);
                }
                Harness.await("the small held backlogs dropped under the exhausted guard", WAIT,
                    () -> rs.lagging.sum() == 8, () -> Harness.describe(svc));
                assertThat(rs.backlogBytes.sum()).isZero();
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            Harness.await("the primary got everything", WAIT, () -> primary.received() == 1 + 16L * 64 * 1024,
                () -> primary.received() + " bytes");
        } finally {
            System.clearProperty(MemoryGuard.LIMIT_PROPERTY);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    private static void echo(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(bytes);
        assertThat(new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    /** How a connection the middlebox refuses ends for the client: "eof" or "reset" (also while connecting). */
    private static String refused(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(15_000);
            return s.getInputStream().read() < 0 ? "eof" : "data";
        } catch (java.net.SocketException e) {
            return "reset";
        }
    }
}
