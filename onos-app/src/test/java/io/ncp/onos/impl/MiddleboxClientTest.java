package io.ncp.onos.impl;

import io.ncp.onos.api.ReplicationStatus.PushState;
import io.ncp.onos.planner.ReplicationSpec;
import org.junit.After;
import org.junit.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** MiddleboxClient against a real loopback HTTP server: exact JSON, retries, rejection, deletion. */
public class MiddleboxClientTest {

    private final MiddleboxClient client = new MiddleboxClient(Duration.ofSeconds(2), Duration.ofMillis(20),
            Duration.ofMillis(100));

    @After
    public void tearDown() {
        client.close(Duration.ofSeconds(2));
    }

    @Test
    public void pushPutsTheExactServiceJson() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            ReplicationSpec spec = NcpFixture.spec("redis", true, api.address());

            client.push(spec);

            AdminApiStub.Request put = api.next();
            assertEquals("PUT", put.method);
            assertEquals("/services/redis", put.path);
            assertEquals("application/json", put.contentType);
            assertEquals("{\"name\":\"redis\",\"listen\":\"10.0.0.3:7000\",\"primary\":\"10.0.0.2:6379\","
                    + "\"mode\":\"async\",\"replicas\":[{\"address\":\"10.0.0.4:6379\"}]}", put.body);
            awaitTrue("PUSHED", () -> client.status("redis").map(s -> s.state() == PushState.PUSHED).orElse(false));
            assertEquals(1, client.status("redis").orElseThrow().attempts());
        }
    }

    @Test
    public void failedPushesAreRetriedUntilAccepted() throws Exception {
        try (AdminApiStub api = new AdminApiStub(503, 500)) {
            client.push(NcpFixture.spec("redis", true, api.address()));

            assertEquals("PUT", api.next().method);
            assertEquals("PUT", api.next().method);
            assertEquals("PUT", api.next().method);
            awaitTrue("PUSHED", () -> client.status("redis").map(s -> s.state() == PushState.PUSHED).orElse(false));
            assertEquals(3, client.status("redis").orElseThrow().attempts());
        }
    }

    @Test
    public void unreachableAdminIsRetriedAndReportedPending() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        client.push(NcpFixture.spec("redis", true, "127.0.0.1:" + closedPort));

        awaitTrue("two failed attempts", () -> client.status("redis").map(s -> s.attempts() >= 2).orElse(false));
        MiddleboxClient.Status status = client.status("redis").orElseThrow();
        assertEquals(PushState.PENDING, status.state());
        assertTrue(status.lastError(), status.lastError().contains("ConnectException"));
    }

    @Test
    public void a4xxIsARejectionAndIsNotRetried() throws Exception {
        try (AdminApiStub api = new AdminApiStub(400)) {
            client.push(NcpFixture.spec("redis", true, api.address()));

            api.next();
            awaitTrue("REJECTED", () -> client.status("redis").map(s -> s.state() == PushState.REJECTED)
                    .orElse(false));
            assertEquals("HTTP 400: {\"error\": \"scripted 400\"}", client.status("redis").orElseThrow().lastError());
            assertEquals(1, client.status("redis").orElseThrow().attempts());
        }
    }

    @Test
    public void deleteSupersedesAPendingPush() throws Exception {
        try (AdminApiStub api = new AdminApiStub(503)) {
            ReplicationSpec spec = NcpFixture.spec("redis", true, api.address());
            client.push(spec);
            assertEquals("PUT", api.next().method);

            client.delete(spec);

            AdminApiStub.Request next = api.next();
            while ("PUT".equals(next.method)) {
                next = api.next();
            }
            assertEquals("DELETE", next.method);
            assertEquals("/services/redis", next.path);
            assertTrue(client.status("redis").isEmpty());
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not " + what + " within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
