package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.SessionOrder;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import io.ncp.testkit.RespClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sequential sessions keep their order on a lagging replica: session A pipelines many {@code SET k vI} ending with
 * {@code SET k a} and closes once it has all its answers; session B, opened after that, sends {@code SET k b}. The
 * replica is made to lag with {@code DEBUG SLEEP} on a direct connection (it then serves A's and B's connections
 * together, so without session order B's SET runs before A's tail and the replica ends with {@code k=a}).
 *
 * <p>{@code -Dncp.test.sessionOrder=none} runs the same test without session order: it should then fail (that is
 * how the test was checked; the default run uses the default, causal).
 */
@ExtendWith(NettyLeakExtension.class)
class RedisSessionOrderTest {

    private static final int ROUNDS = 3;
    private static final int SETS = 50_000;
    private static final String SLEEP_SECONDS = "1.5";
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void aSessionOpenedAfterAnotherClosedRunsAfterItOnTheReplica() throws Exception {
        SessionOrder order = SessionOrder.valueOf(System.getProperty("ncp.test.sessionOrder", "causal")
            .toUpperCase(Locale.ROOT));
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", primary.hostPort(), CompareMode.BYTES, 64L << 20,
                 replica.hostPort()).withSessionOrder(order))) {
            int port = mb.port("redis");
            for (int round = 0; round < ROUNDS; round++) {
                String key = "k" + round;
                try (Socket sleeper = send(replica.port(), command("DEBUG", "SLEEP", SLEEP_SECONDS))) {
                    Thread.sleep(100); // lets the replica start sleeping before A arrives (makes the race likely)
                    StringBuilder a = new StringBuilder();
                    for (int i = 0; i < SETS; i++) {
                        a.append(command("SET", key, "v" + i));
                    }
                    a.append(command("SET", key, "a"));
                    session(port, a.toString(), SETS + 1);
                    session(port, command("SET", key, "b"), 1);
                    assertThat(readReply(sleeper.getInputStream())).isEqualTo("+OK");
                }
            }
            ServiceRuntime svc = mb.service("redis");
            Harness.awaitSettled(svc, SETTLE);

            ReplicaStats rs = svc.replicas().get(0).stats();
            try (RespClient p = primary.client(); RespClient r = replica.client()) {
                for (int round = 0; round < ROUNDS; round++) {
                    assertThat(p.call("GET", "k" + round)).isEqualTo("b");
                    assertThat(r.call("GET", "k" + round)).as("replica k%d; %s", round, Harness.describe(svc))
                        .isEqualTo("b");
                }
            }
            assertThat(replica.digest()).isEqualTo(primary.digest());
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.damaged.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(svc.stats().sessions.sum());
        }
    }

    /**
     * One client session through the middlebox: sends {@code requests} (from a second thread, so neither side's
     * socket buffers can block the other), reads {@code replies} {@code +OK} answers, then closes gracefully: its FIN,
     * then the server's.
     */
    private static void session(int port, String requests, int replies) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(60_000);
            byte[] bytes = requests.getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(bytes);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < replies; i++) {
                assertThat(readReply(in)).as("reply %d", i).isEqualTo("+OK");
            }
            writer.get(60, TimeUnit.SECONDS);
            s.shutdownOutput();
            assertThat(in.read()).as("end of the session").isEqualTo(-1);
        }
    }

    /** A direct connection to a server with {@code request} sent (its reply is left to read). */
    private static Socket send(int port, String request) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(60_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static String command(String... args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** One reply line without its CRLF. */
    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("connection closed after '" + line + "'");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
