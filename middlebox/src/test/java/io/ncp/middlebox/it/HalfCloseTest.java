package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** FIN propagation both ways, and replica connections from their own local address. */
@ExtendWith(NettyLeakExtension.class)
class HalfCloseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void clientFinReachesPrimaryAndReplicasAndThePrimaryCloseEndsTheClientAfterItsBytes() throws Exception {
        try (EchoServer primary = new EchoServer(); EchoServer replica = new EchoServer();
             Middlebox mb = Harness.start(Harness.service("echo", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 replica.hostPort() + "@127.0.0.2"))) {
            byte[] data = new byte[3 << 20];
            new Random(3).nextBytes(data);
            byte[] echoed;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", mb.port("echo")), 5000);
                s.setSoTimeout(30_000);
                Thread writer = new Thread(() -> {
                    try {
                        s.getOutputStream().write(data);
                        s.shutdownOutput(); // FIN: the echo servers finish only when they see it
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                writer.start();
                InputStream in = s.getInputStream();
                echoed = in.readNBytes(data.length + 1); // +1: must hit EOF, i.e. the primary's close
                writer.join(30_000);
            }
            assertThat(echoed).as("all bytes echoed, then EOF").isEqualTo(data);
            ServiceRuntime svc = mb.service("echo");
            Harness.awaitSettled(svc, WAIT);
            assertThat(primary.finished()).isEqualTo(1);
            assertThat(replica.finished()).as("the replica saw the FIN").isEqualTo(1);
            assertThat(replica.received()).isEqualTo(data.length);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(rs.divergent.sum()).isZero();
            assertThat(rs.bytesAnswered.sum()).isEqualTo(data.length);
            assertThat(replica.peers()).extracting(a -> a.getAddress().getHostAddress())
                .as("replica connections come from the configured local address").containsExactly("127.0.0.2");
            assertThat(primary.peers()).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.1");
        }
    }
}
