package io.ncp.middlebox.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.net.Transport;
import io.ncp.testkit.NettyLeakExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PeerVoters} over real HTTP: peers are small HTTP servers on loopback that answer a preset vote (or an error,
 * or nothing), the verdict comes back on the prober's loop, and what was sent is what docs/admin-api.md says.
 */
@ExtendWith(NettyLeakExtension.class)
class PeerVotersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 1 s per probe, 3 misses: a peer's answer may take 4 s (an HTTP answer took over 2.2 s at load average 25). */
    private static final FailoverConfig CFG = new FailoverConfig(Duration.ofMillis(200), Duration.ofSeconds(1), 3,
        "PING\r\n".getBytes(StandardCharsets.US_ASCII), "+PONG".getBytes(StandardCharsets.US_ASCII), true,
        List.of(), null, Duration.ofSeconds(3));

    @TempDir
    Path dir;

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ExecutorService threads;
    private HttpClient http;
    private Prober prober;

    @BeforeEach
    void start() {
        threads = Executors.newFixedThreadPool(2);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
        prober = new Prober(Transport.detect());
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
        prober.close();
        threads.shutdownNow();
    }

    /** A peer answering every request with {@code status} and {@code body}, recording what it got. */
    private String peer(int status, String body) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders()
                .getFirst("Authorization") + " " + new String(ex.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private Voters.Verdict vote(PeerVoters voters) throws Exception {
        CompletableFuture<Voters.Verdict> got = new CompletableFuture<>();
        voters.confirm(new HostPort("127.0.0.1", 6379), CFG, prober, v -> {
            if (!prober.loop().inEventLoop()) {
                got.completeExceptionally(new AssertionError("verdict delivered off the prober's loop"));
            }
            got.complete(v);
        });
        return got.get(30, TimeUnit.SECONDS);
    }

    @Test
    void asksEveryPeerWithTheTokenAndTheProbeAndAMajoritySaysDown() throws Exception {
        Path token = dir.resolve("peers-token");
        Files.writeString(token, "s3cret-peer-token\nsecond line is ignored\n");
        String down = peer(200, "{\"reachable\": false, \"detail\": \"3 probes missed (last: connection refused)\"}");
        String up = peer(200, "{\"reachable\": true, \"detail\": \"answered\"}");
        Voters.Verdict v = vote(new PeerVoters(List.of(down + "/", up), token, http, threads));
        assertThat(v.down()).as(v.detail()).isTrue();
        assertThat(v.detail()).startsWith("2 of 3 voters say down (down needs 2): this middlebox down; ")
            .contains(down + "/ down (3 probes missed (last: connection refused))");
        assertThat(requests).hasSize(2)
            .allSatisfy(r -> assertThat(r).startsWith("POST /vote Bearer s3cret-peer-token "));
        JsonNode body = JSON.readTree(requests.get(0).substring(requests.get(0).indexOf('{')));
        assertThat(body.get("address").asText()).isEqualTo("127.0.0.1:6379");
        assertThat(body.get("send").asText()).isEqualTo("UElORw0K"); // PING\r\n
        assertThat(body.get("expect").asText()).isEqualTo("K1BPTkc="); // +PONG
        assertThat(body.get("timeoutMillis").asLong()).isEqualTo(1000);
        assertThat(body.get("misses").asInt()).isEqualTo(3);
    }

    @Test
    void peersThatReachThePrimaryOrDoNotVoteKeepIt() throws Exception {
        String up = peer(200, "{\"reachable\": true, \"detail\": \"answered\"}");
        String refused = peer(401, "{\"error\": \"wrong token\"}");
        Voters.Verdict v = vote(new PeerVoters(List.of(up, refused), null, http, threads));
        assertThat(v.down()).isFalse();
        assertThat(v.detail()).contains(up + " up (answered)")
            .contains(refused + " no answer, counted as not down (HTTP 401: wrong token)");
        assertThat(requests).allSatisfy(r -> assertThat(r).startsWith("POST /vote null "));
    }

    @Test
    void aPeerThatNeverAnswersCountsAsNotDownOnceTheBoundPassed() throws Exception {
        String down = peer(200, "{\"reachable\": false, \"detail\": \"no answer within 400 ms\"}");
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // reads nothing, answers nothing
                    }
                } catch (IOException closed) {
                    // done
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String quiet = "http://127.0.0.1:" + silent.getLocalPort();
            PeerVoters voters = new PeerVoters(List.of(quiet, down, quiet + "/x/"), null, http, threads);
            assertThat(PeerVoters.answerBound(CFG)).isEqualTo(Duration.ofMillis(1000 * 3 + 1000));
            Voters.Verdict v = vote(voters);
            assertThat(v.down()).as("2 of 4: no majority").isFalse();
            assertThat(v.detail()).startsWith("2 of 4 voters say down (down needs 3)")
                .contains(quiet + " no answer, counted as not down (");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anUnreadableTokenFileAsksNobody() throws Exception {
        String up = peer(200, "{\"reachable\": false, \"detail\": \"x\"}");
        Voters.Verdict v = vote(new PeerVoters(List.of(up), dir.resolve("missing"), http, threads));
        assertThat(v.down()).isFalse();
        assertThat(v.detail()).contains("not asked: cannot read the token file");
        assertThat(requests).isEmpty();
    }
}
