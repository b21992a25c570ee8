package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.NginxServer;
import io.ncp.testkit.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pipe-style clients (send the whole request, half-close, then read: {@code nc -N}, {@code printf ... | nc}) get every
 * answer through the middlebox, as they do directly: the client's FIN reaches the primary after its bytes, and the
 * primary's answers all reach the client before the client side is closed. Real Redis and a real HTTP/1.0 exchange
 * with nginx, async and lockstep, with and without a replica.
 */
@ExtendWith(NettyLeakExtension.class)
class HalfCloseServersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0}, {1} replica(s)")
    @CsvSource({"async, 0", "async, 1", "lockstep, 0", "lockstep, 1"})
    void redisAnswersAPipelineSentWithAFin(String mode, int replicas) throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", mode, primary.hostPort(), CompareMode.BYTES,
                 64L << 20, replicas == 0 ? new String[0] : new String[] {replica.hostPort()}))) {
            for (int i = 0; i < 6; i++) {
                byte[] got = sendFinThenRead(mb.port("redis"), "PING\r\nSET hk" + i + " hv\r\nINCR n\r\n");
                assertThat(new String(got, StandardCharsets.US_ASCII)).as("try %d", i)
                    .isEqualTo("+PONG\r\n+OK\r\n:" + (i + 1) + "\r\n");
            }
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, WAIT);
            assertThat(svc.stats().resets.sum()).as(Harness.describe(svc)).isZero();
            if (replicas > 0) {
                assertThat(replica.digest()).isEqualTo(primary.digest());
                assertThat(svc.replicas().get(0).stats().divergent.sum()).isZero();
                assertThat(svc.replicas().get(0).stats().compared.sum()).isEqualTo(6);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} replica(s)")
    @CsvSource({"async, 0", "async, 1", "lockstep, 0", "lockstep, 1"})
    void nginxAnswersAnHttp10RequestSentWithAFin(String mode, int replicas) throws Exception {
        byte[] page = new byte[600_000];
        new Random(7).nextBytes(page);
        Map<String, byte[]> files = Map.of("page.bin", page);
        try (NginxServer primary = NginxServer.start(files); NginxServer replica = NginxServer.start(files);
             // Date headers may differ by a second between two servers: answers are not compared here
             Middlebox mb = Harness.start(Harness.service("web", mode, primary.hostPort(), CompareMode.NONE,
                 64L << 20, replicas == 0 ? new String[0] : new String[] {replica.hostPort()}))) {
            for (int i = 0; i < 3; i++) {
                byte[] got = sendFinThenRead(mb.port("web"), "GET /page.bin HTTP/1.0\r\nHost: t\r\n\r\n");
                String text = new String(got, StandardCharsets.ISO_8859_1);
                assertThat(text).as("try %d", i).startsWith("HTTP/1.1 200 OK");
                int bodyAt = text.indexOf("\r\n\r\n") + 4;
                assertThat(got.length - bodyAt).as("whole body, try %d", i).isEqualTo(page.length);
                assertThat(java.util.Arrays.copyOfRange(got, bodyAt, got.length)).isEqualTo(page);
            }
            ServiceRuntime svc = mb.service("web");
            Harness.awaitSettled(svc, WAIT);
            if (replicas > 0) {
                assertThat(svc.replicas().get(0).stats().bytesAnswered.sum()).as(Harness.describe(svc))
                    .isEqualTo(svc.stats().bytesOut.sum());
            }
        }
    }

    /** Sends {@code request}, half-closes, reads until EOF. */
    static byte[] sendFinThenRead(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return s.getInputStream().readAllBytes();
        }
    }
}
