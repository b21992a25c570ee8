package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.BackendHealth;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica that resets an established connection (as iperf3 does with its data streams at a test's end) loses that
 * session's copy but is not marked down: the next session is replicated to it, not skipped.
 */
@ExtendWith(NettyLeakExtension.class)
class ReplicaResetTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aReplicaResettingItsConnectionStaysUpAndGetsTheNextSession() throws Exception {
        try (EchoServer primary = new EchoServer(); ResetServer replica = new ResetServer();
             Middlebox mb = Harness.start(Harness.service("rst", primary.hostPort(), CompareMode.NONE, 1L << 20,
                 replica.hostPort()))) {
            ServiceRuntime svc = mb.service("rst");
            ReplicaStats rs = svc.replicas().get(0).stats();
            try (Socket c = connect(mb.port("rst"))) {
                echo(c, "first");
                Harness.await("replica reset its connection", WAIT, () -> replica.resets() == 1, () -> "");
                Harness.await("lost copy counted", WAIT, () -> rs.lost.sum() == 1, () -> Harness.describe(svc));
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.replicas().get(0).health().state()).as(Harness.describe(svc))
                .isEqualTo(BackendHealth.State.UP);
            assertThat(svc.replicas().get(0).consistency().state()).as("every byte was delivered before the reset")
                .isEqualTo(ReplicaConsistency.State.IN_SYNC);
            try (Socket c = connect(mb.port("rst"))) {
                echo(c, "second");
                Harness.await("second session at the replica", WAIT, () -> replica.resets() == 2,
                    () -> Harness.describe(svc));
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(rs.missed.sum()).isZero();
            assertThat(rs.connectFailures.sum()).isZero();
            assertThat(rs.sessions.sum()).isEqualTo(2);
            assertThat(svc.stats().primaryFailures.sum()).isZero();
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
        s.getOutputStream().flush();
        assertThat(new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    /** Accepts connections one at a time, reads one chunk from each, then closes it with a reset (SO_LINGER 0). */
    /** Reads the first bytes of each connection, then resets it (SO_LINGER 0); counts the resets. */
    private static final class ResetServer extends LoopbackServer {

        private final AtomicInteger resets = new AtomicInteger();

        ResetServer() {
            super("reset-server", 0);
            start();
        }

        @Override
        protected void onAccept(Socket s) throws IOException {
            try (s) {
                InputStream in = s.getInputStream();
                if (in.read(new byte[4096]) > 0) {
                    s.setSoLinger(true, 0);
                    resets.incrementAndGet();
                }
            }
        }

        int resets() {
            return resets.get();
        }
    }
}
