package io.ncp.replay.player;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.journal.FsyncPolicy;
import io.ncp.replay.journal.JournalWriter;
import io.ncp.replay.journal.SessionInfo;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Endpoint;
import io.ncp.testkit.NettyLeakExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions A and B overlap in the journal, C starts after both ended. The target keeps A open until B's bytes
 * arrived: a replayer that serialised overlapping sessions would never deliver B before A's drain timeout.
 * C must arrive only after the target closed A and B (sequential sessions stay sequential). No timing is
 * asserted: only the order the target observed.
 */
@ExtendWith(NettyLeakExtension.class)
class ReplayEngineConcurrencyTest {

    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void overlappingSessionsOverlapAndSequentialOnesStaySequential() throws Exception {
        Path journal = dir.resolve("three.journal");
        try (JournalWriter w = JournalWriter.open(journal, FsyncPolicy.NEVER)) {
            open(w, 1, 0);
            send(w, 1, "A", 1);
            open(w, 2, 2);
            send(w, 2, "B", 3);
            w.close(2, Direction.CLIENT_TO_SERVER, CloseReason.FIN, 1, 4);
            w.close(1, Direction.CLIENT_TO_SERVER, CloseReason.FIN, 1, 5);
            open(w, 3, 6);
            send(w, 3, "C", 7);
            w.close(3, Direction.CLIENT_TO_SERVER, CloseReason.FIN, 1, 8);
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(() -> acceptLoop(server), "test-target");
            acceptor.setDaemon(true);
            acceptor.start();
            ReplayConfig config = ReplayConfig.defaults((InetSocketAddress) server.getLocalSocketAddress())
                .withTiming(Timing.FAST)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30));
            ReplayEngine engine = new ReplayEngine(config, null);
            try (JournalEventSource source = new JournalEventSource(journal)) {
                ReplayStats stats = engine.run(source, Set.of());
                assertThat(stats.errors.get()).as(engine.errorMessages().toString()).isZero();
                assertThat(stats.drainTimeouts.get()).isZero();
                assertThat(stats.maxConcurrent.get()).isGreaterThanOrEqualTo(2);
                assertThat(stats.bytesSent.get()).isEqualTo(3);
            }
        }
        List<String> order = List.copyOf(log);
        assertThat(order).containsExactlyInAnyOrder("data:A", "data:B", "data:C", "close:A", "close:B", "close:C");
        assertThat(order.indexOf("data:B")).isLessThan(order.indexOf("close:A"));
        assertThat(order.indexOf("data:C")).isGreaterThan(order.indexOf("close:A"))
            .isGreaterThan(order.indexOf("close:B"));
    }

    private void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "test-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads to EOF; A is held open until B's bytes were seen; logs "close:X" before closing. */
    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream()) {
            StringBuilder name = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                name.append((char) b);
                log.add("data:" + (char) b);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (name.toString().equals("A") && !log.contains("data:B") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            log.add("close:" + name);
        } catch (IOException | InterruptedException e) {
            log.add("error:" + e);
        }
    }

    private static void open(JournalWriter w, long id, long ts) throws IOException {
        Endpoint client = new Endpoint(InetAddress.getLoopbackAddress(), 40000 + (int) id);
        Endpoint server = new Endpoint(InetAddress.getLoopbackAddress(), 6379);
        w.open(new SessionInfo(id, client, server, false, ts), ts);
    }

    private static void send(JournalWriter w, long id, String text, long ts) throws IOException {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        w.data(id, Direction.CLIENT_TO_SERVER, 0, b, 0, b.length, ts);
    }
}
