package io.ncp.onos.impl;

import static io.ncp.onos.impl.NcpFixture.awaitTrue;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.ncp.onos.api.ReplicationStatus.PushState;
import io.ncp.onos.planner.FlowSelector;
import io.ncp.onos.planner.HostPort;
import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.Ipv4Prefix;
import io.ncp.onos.planner.MiddleboxTarget;
import io.ncp.onos.planner.ReplicaAuth;
import io.ncp.onos.planner.ReplicaTarget;
import io.ncp.onos.planner.ReplicationSpec;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The app's admin client and health monitor against the real middlebox (the jar the reactor built before this
 * module): a spec pushed with the token from its file becomes a service; a wrong token is refused; the health probe
 * needs no token and sees the middlebox go and come back.
 */
public class RealMiddleboxContractTest {

    private static final Path JAR = Path.of("..", "middlebox", "target", "ncp-middlebox.jar");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final MiddleboxClient client = new MiddleboxClient(Duration.ofSeconds(5), Duration.ofMillis(50),
            Duration.ofMillis(200));
    private final List<Process> processes = new ArrayList<>();
    private int adminPort;
    private Path token;

    @Before
    public void startMiddlebox() throws Exception {
        assertTrue("the middlebox jar " + JAR + " is missing: build it first (mvn package, or ./ncp build)",
                Files.exists(JAR));
        adminPort = freePort();
        token = tmp.getRoot().toPath().resolve("admin-token");
        start();
    }

    private void start() throws Exception {
        Path cfg = tmp.getRoot().toPath().resolve("middlebox.yaml");
        Files.writeString(cfg, String.join("\n",
                "threads: 1", "statsInterval: 0",
                "admin: {address: 127.0.0.1:" + adminPort + ", tokenFile: " + token + "}",
                "allow: {listen: [127.0.0.1], backends: [127.0.0.0/8]}",
                "services:", "  - name: seed", "    listen: 127.0.0.1:0", "    primary: 127.0.0.2:9", ""));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "run", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(tmp.newFile().toPath().toFile()).start();
        processes.add(p);
        awaitTrue("the middlebox's admin API", () -> get("/health", null) == 200);
    }

    @After
    public void tearDown() throws Exception {
        client.close(Duration.ofSeconds(2));
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    public void aSpecPushedWithTheTokenBecomesAServiceAndAWrongTokenIsRefused() throws Exception {
        client.push(spec("redis", token.toString()));
        awaitTrue("pushed", () -> state("redis") == PushState.PUSHED);
        String tokenText = Files.readString(token).strip();
        assertEquals(200, get("/services/redis", tokenText));
        assertEquals(401, get("/services/redis", null));

        File wrong = tmp.newFile();
        Files.writeString(wrong.toPath(), "0".repeat(64) + "\n");
        client.push(spec("other", wrong.toString()));
        awaitTrue("refused", () -> state("other") == PushState.TOKEN_REFUSED);
        assertEquals(404, get("/services/other", tokenText));

        client.push(spec("redis", token.toString()), "fail-open since 12:00: clients reached the primary directly");
        awaitTrue("re-pushed with join: stale", () -> body("/services/redis", tokenText)
                .contains("\"consistency\" : \"STALE\""));
        assertTrue(body("/services/redis", tokenText).contains("fail-open since 12:00"));
    }

    /**
     * A spec with {@code protocol: redis} and a replica's password by reference: the middlebox accepts the pushed
     * service (it reads the file the test wrote) and shows the reference, never the password.
     */
    @Test
    public void credentialsArePushedByReferenceAndTheMiddleboxShowsOnlyTheReference() throws Exception {
        Path pw = tmp.getRoot().toPath().resolve("replica.pw");
        Files.writeString(pw, "replica-secret-4711\n");
        ReplicationSpec base = spec("redis", token.toString());
        ReplicationSpec spec = new ReplicationSpec("redis", base.selector(),
                base.middlebox().withSecurity("redis", null, null, null),
                List.of(new ReplicaTarget(HostPort.parse("127.0.0.3:6379"), null,
                        ReplicaAuth.of("replicas[0].auth", "app", pw.toString(), null), null)), true);

        client.push(spec);
        awaitTrue("pushed", () -> state("redis") == PushState.PUSHED);
        String tokenText = Files.readString(token).strip();
        String shown = body("/services/redis", tokenText);
        assertTrue(shown, shown.contains("\"protocol\" : \"redis\""));
        assertTrue(shown, shown.contains("\"passwordFile\" : \"" + pw + "\""));
        assertTrue(shown, shown.contains("\"user\" : \"app\""));
        assertTrue(shown, !shown.contains("replica-secret-4711"));

        Path missing = tmp.getRoot().toPath().resolve("absent.pw");
        ReplicationSpec bad = new ReplicationSpec("other", base.selector(),
                base.middlebox().withSecurity("redis", null, null, null),
                List.of(new ReplicaTarget(HostPort.parse("127.0.0.3:6379"), null,
                        ReplicaAuth.of("replicas[0].auth", null, missing.toString(), null), null)), true);
        client.push(bad);
        awaitTrue("rejected: the middlebox cannot read the password file", () -> state("other")
                == PushState.REJECTED);
        String error = client.status("other").orElseThrow().lastError();
        assertTrue(error, error.contains("replicas[0].auth.passwordFile"));
        assertEquals(404, get("/services/other", tokenText));
    }

    private String body(String path, String bearer) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + path)).header("Authorization", "Bearer " + bearer).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Test
    public void theHealthMonitorSeesTheMiddleboxGoAndComeBack() throws Exception {
        HostPort admin = HostPort.parse("127.0.0.1:" + adminPort);
        List<String> events = new CopyOnWriteArrayList<>();
        MiddleboxHealthMonitor monitor = new MiddleboxHealthMonitor(() -> Set.of(admin),
                new MiddleboxHealthMonitor.Listener() {
                    @Override
                    public void gone(HostPort a, String lastError) {
                        events.add("gone");
                    }

                    @Override
                    public void back(HostPort a) {
                        events.add("back");
                    }
                });
        monitor.start(Duration.ofMillis(100), Duration.ofSeconds(2), 3);
        try {
            Process first = processes.get(0);
            first.destroyForcibly(); // kill -9
            first.waitFor(10, TimeUnit.SECONDS);
            awaitTrue("gone", () -> events.contains("gone"));
            start();
            awaitTrue("back", () -> events.contains("back"));
            assertEquals(List.of("gone", "back"), events);
        } finally {
            monitor.stop(Duration.ofSeconds(2));
        }
    }

    private PushState state(String name) {
        return client.status(name).map(MiddleboxClient.Status::state).orElse(null);
    }

    private ReplicationSpec spec(String name, String tokenFile) {
        return new ReplicationSpec(name,
                new FlowSelector(Ipv4Prefix.parse("10.0.0.1/32"), 0, Ipv4.parse("127.0.0.2"), 6379),
                new MiddleboxTarget(Ipv4.parse("127.0.0.1"), freePortUnchecked(),
                        HostPort.parse("127.0.0.1:" + adminPort), "async", null, tokenFile),
                List.of(new ReplicaTarget(HostPort.parse("127.0.0.3:6379"), null)), true);
    }

    private int get(String path, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                    .timeout(Duration.ofSeconds(5));
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int freePortUnchecked() {
        try {
            return freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
