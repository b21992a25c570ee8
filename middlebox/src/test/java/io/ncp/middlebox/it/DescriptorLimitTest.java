package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.testkit.FreePorts;
import io.ncp.testkit.ManagedProcess;
import io.ncp.testkit.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A middlebox with few descriptors (a child JVM under {@code prlimit --nofile=700}) and more idle clients than they
 * allow: the sessions it admits work and are replicated completely, the rest are refused at once and counted, the
 * admin API keeps answering, and the log has no stack trace (no EMFILE reaches accept or a replica connect).
 */
class DescriptorLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sessionsBeyondTheDescriptorBudgetAreRefusedAndTheRestStayWhole() throws Exception {
        int listen = FreePorts.allocate();
        int admin = FreePorts.allocate();
        Path token = dir.resolve("admin-token");
        Path log = dir.resolve("middlebox.log");
        try (RedisServer primary = RedisServer.start(); RedisServer r1 = RedisServer.start();
             RedisServer r2 = RedisServer.start();
             ManagedProcess mb = ManagedProcess.start("middlebox", List.of("prlimit", "--nofile=700:700",
                 Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                 "-Dio.netty.leakDetectionLevel=paranoid", "-cp",
                 System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                 "io.ncp.middlebox.cli.Main", "run", "--listen", "127.0.0.1:" + listen, "--primary",
                 primary.hostPort(), "--replica", r1.hostPort(), "--replica", r2.hostPort(), "--threads", "2",
                 "--admin", "127.0.0.1:" + admin, "--admin-token-file", token.toString(), "--stats-interval", "0"),
                 log)) {
            mb.awaitPort("127.0.0.1", listen, WAIT);
            HttpClient http = HttpClient.newHttpClient();
            List<Socket> clients = new ArrayList<>();
            int admitted = 0;
            int refused = 0;
            List<String> refusals = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    Socket s = new Socket();
                    clients.add(s);
                    String outcome = connectAndPing(s, listen, i);
                    if (outcome == null) {
                        admitted++;
                    } else {
                        refused++;
                        if (refusals.size() < 5 || admitted > 0 && refusals.size() < 10) {
                            refusals.add(i + ": " + outcome);
                        }
                    }
                }
                JsonNode svc = stats(http, admin, token).get("services").get(0);
                assertThat(admitted).as("sessions admitted within the budget").isBetween(20, 200);
                assertThat(refused).isEqualTo(400 - admitted);
                assertThat(svc.get("refused").asLong()).as(svc.toString()).isEqualTo(refused);
                assertThat(svc.get("acceptFailures").asLong()).isZero();
                for (JsonNode r : svc.get("replicas")) {
                    // + 1: awaitPort's probe connection was a (replicated, empty) session too
                    assertThat(r.get("sessions").asLong()).as(r + " refusals " + refusals).isEqualTo(admitted + 1);
                    assertThat(r.get("missed").asLong() + r.get("damaged").asLong()).isZero();
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            Harness.await("every session closed", WAIT, () -> stats(http, admin, token).get("services").get(0)
                .get("active").asLong() == 0, mb::tail);
            Harness.await("replicas identical", WAIT, () -> r1.digest().equals(primary.digest())
                && r2.digest().equals(primary.digest()), mb::tail);
            assertThat(primary.dbSize()).isEqualTo(admitted);
            String text = Files.readString(log);
            assertThat(text).as("no stack trace, no EMFILE").doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("Too many open files").doesNotContain("LEAK:");
            assertThat(text).contains("refused client");
        }
    }

    /**
     * Connects, sends a SET of its own key and PING: null when answered, else how the middlebox refused the
     * connection (EOF, or a reset, which may arrive while connecting).
     */
    private static String connectAndPing(Socket s, int port, int i) throws IOException {
        String key = "client" + i;
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("SET " + key + " 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readNBytes("+OK\r\n+PONG\r\n".length());
            if (answer.length == 0) {
                return "eof";
            }
            assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n+PONG\r\n");
            return null;
        } catch (SocketException e) {
            return e.toString(); // reset by the middlebox
        }
    }

    private static JsonNode stats(HttpClient http, int port, Path token) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/stats")).header("Authorization", "Bearer " + Files.readString(token).strip()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("the admin API answers during the overload").isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
