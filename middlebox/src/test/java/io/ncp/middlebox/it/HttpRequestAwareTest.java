package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.proto.http.HttpFramer;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.ReplicaStats;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.NginxServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code protocol: http} with real nginx servers on loopback, one replica, async and lockstep: keep-alive and
 * pipelined exchanges of every framing kind (Content-Length, chunked gzip, HEAD, 404, 405 with a request body) reach
 * the client exactly as nginx sends them, compare equal although each server sets its own {@code Date}, lockstep never
 * drops the replica, and a file that differs on the replica is reported at the request that read it.
 */
@ExtendWith(NettyLeakExtension.class)
class HttpRequestAwareTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GZIP = "gzip on; gzip_types text/plain; gzip_min_length 1;";

    private static Map<String, byte[]> files() {
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        return Map.of("a.txt", "alpha\n".getBytes(StandardCharsets.US_ASCII),
            "b.txt", "bravo bravo bravo\n".repeat(200).getBytes(StandardCharsets.US_ASCII),
            "big.bin", big);
    }

    private static ServiceConfig http(String mode, NginxServer primary, NginxServer replica) {
        return Harness.service("web", mode, primary.hostPort(), CompareMode.BYTES, 64L << 20, replica.hostPort())
            .withProtocol(Protocol.HTTP);
    }

    /** The requests of one round, as one client would send them on one keep-alive connection. */
    private static List<String> round() {
        String h = " HTTP/1.1\r\nHost: t\r\n";
        return List.of("GET /a.txt" + h + "\r\n", "HEAD /big.bin" + h + "\r\n", "GET /big.bin" + h + "\r\n",
            "GET /b.txt" + h + "Accept-Encoding: gzip\r\n\r\n", "GET /missing" + h + "\r\n",
            "POST /a.txt" + h + "Content-Length: 11\r\n\r\nhello world", "GET /b.txt" + h + "\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void exchangesCompareEqualDespiteEachServersDateAndADifferentFileIsNamed(String mode) throws Exception {
        try (NginxServer primary = NginxServer.start(files(), GZIP);
             NginxServer replica = NginxServer.start(files(), GZIP);
             Middlebox mb = Harness.start(http(mode, primary, replica))) {
            ServiceRuntime svc = mb.service("web");
            List<String> requests = round();
            List<String> direct;
            try (HttpConn d = new HttpConn(primary.port())) {
                direct = d.exchange(requests, false);
            }
            for (int i = 0; i < 10; i++) {
                try (HttpConn c = new HttpConn(mb.port("web"))) {
                    List<String> got = c.exchange(requests, i % 2 == 1); // odd rounds pipelined
                    assertThat(withoutDate(got)).as("round %d", i).isEqualTo(withoutDate(direct));
                }
            }
            Harness.awaitSettled(svc, WAIT);
            ReplicaStats rs = svc.replicas().get(0).stats();
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isZero();
            assertThat(rs.compared.sum()).as(Harness.describe(svc)).isEqualTo(10);
            assertThat(svc.stats().protocol.requests.sum()).isEqualTo(70);
            assertThat(svc.stats().protocol.framingErrors.sum()).isZero();
            assertThat(svc.replicas().get(0).consistency().inSync()).as(Harness.describe(svc)).isTrue();

            Files.writeString(replica.root().resolve("b.txt"), "changed on the replica\n");
            try (HttpConn c = new HttpConn(mb.port("web"))) {
                c.exchange(List.of(requests.get(0), requests.get(3), requests.get(0)), false); // small: exact byte
            }
            Harness.awaitSettled(svc, WAIT);
            assertThat(rs.divergent.sum()).as(Harness.describe(svc)).isEqualTo(1);
            assertThat(svc.replicas().get(0).consistency().reason()).as("the divergent request is named")
                .contains("at request #2 (GET /b.txt)");
            assertThat(svc.stats().lockstepDrops.sum()).as(Harness.describe(svc)).isZero();
        }
    }

    /** Response texts with the Date header's value blanked (each server sets its own). */
    private static List<String> withoutDate(List<String> responses) {
        return responses.stream().map(r -> r.replaceAll("(?m)^Date: [^\r]*", "Date: -")).toList();
    }

    /** One keep-alive connection; reads whole responses with the framer under test's own response rules. */
    private static final class HttpConn implements AutoCloseable {
        private final Socket socket = new Socket();

        HttpConn(int port) throws IOException {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(30_000);
        }

        /** Sends {@code requests} (all at once when {@code pipelined}) and returns their responses' bytes. */
        List<String> exchange(List<String> requests, boolean pipelined) throws IOException {
            List<String> out = new ArrayList<>();
            if (pipelined) {
                socket.getOutputStream().write(String.join("", requests).getBytes(StandardCharsets.ISO_8859_1));
                out.addAll(read(requests, requests.size()));
            } else {
                for (String r : requests) {
                    socket.getOutputStream().write(r.getBytes(StandardCharsets.ISO_8859_1));
                    out.addAll(read(List.of(r), 1));
                }
            }
            return out;
        }

        private List<String> read(List<String> requests, int count) throws IOException {
            List<Long> ends = new ArrayList<>();
            HttpFramer f = HttpFramer.responses(new HttpFramer.Listener() {
                @Override
                public void messageEnd(long end, int status, String name) {
                    if (status >= 200) {
                        ends.add(end);
                    }
                }

                @Override
                public void opaque(long offset, String why) {
                    throw new AssertionError("response not framed: " + why);
                }
            }, n -> requests.get((int) n - 1).startsWith("HEAD ") ? "HEAD" : null);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[65536];
            while (ends.size() < count) {
                int n = in.read(buf);
                assertThat(n).as("connection closed after %d of %d responses", ends.size(), count).isPositive();
                all.write(buf, 0, n);
                ByteBuf b = Unpooled.wrappedBuffer(buf, 0, n);
                f.feed(b);
                b.release();
            }
            byte[] bytes = all.toByteArray();
            assertThat((long) bytes.length).as("no bytes beyond the responses").isEqualTo(ends.get(count - 1));
            List<String> out = new ArrayList<>();
            long from = 0;
            for (long end : ends) {
                out.add(new String(bytes, (int) from, (int) (end - from), StandardCharsets.ISO_8859_1));
                from = end;
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
