package io.ncp.onos.impl;

import io.ncp.onos.planner.HostPort;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.ncp.onos.impl.NcpFixture.awaitTrue;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * The health monitor against a real loopback admin API that the test stops, restarts and makes drop probes: GONE
 * after exactly the configured consecutive misses (once), back on the next answer, no transition on fewer misses or
 * on a 503, and no thread left after stop.
 */
public class MiddleboxHealthMonitorTest {

    private static final int MISSES = 3;
    /** Long enough that only the dropped probes time out, even on a loaded machine; shorter than HELD. */
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private AdminApiStub api;
    private HostPort admin;
    private MiddleboxHealthMonitor monitor;

    @Before
    public void setUp() throws Exception {
        api = new AdminApiStub();
        admin = HostPort.parse(api.address());
        monitor = new MiddleboxHealthMonitor(() -> Set.of(admin), new MiddleboxHealthMonitor.Listener() {
            @Override
            public void gone(HostPort a, String lastError) {
                events.add("gone " + a);
            }

            @Override
            public void back(HostPort a) {
                events.add("back " + a);
            }
        });
        monitor.start(Duration.ofMillis(50), TIMEOUT, MISSES);
    }

    @After
    public void tearDown() {
        monitor.stop(Duration.ofSeconds(5));
        api.close();
    }

    private String nextEvent() throws InterruptedException {
        return events.poll(10, TimeUnit.SECONDS);
    }

    /** Drops {@code n} probes, then waits for one answered probe after them (which resets the miss count). */
    private void dropThenAnswer(int n) throws InterruptedException {
        int dropped = api.healthDropped();
        api.dropHealth(n);
        awaitTrue(n + " probes dropped", () -> api.healthDropped() == dropped + n);
        int answered = api.healthAnswered();
        awaitTrue("a probe answered after the drops", () -> api.healthAnswered() > answered);
    }

    @Test
    public void aStoppedMiddleboxIsGoneOnceAndBackWhenItAnswers() throws Exception {
        awaitTrue("probes answered", () -> api.healthAnswered() >= 2);
        assertFalse(monitor.isGone(admin));

        api.stop();

        assertEquals("gone " + admin, nextEvent());
        assertTrue(monitor.isGone(admin));

        api.restart();

        assertEquals("the next transition is the way back, not a second 'gone'", "back " + admin, nextEvent());
        assertFalse(monitor.isGone(admin));
    }

    @Test
    public void fewerMissesThanTheLimitOrA503ChangeNothing() throws Exception {
        for (int i = 0; i < 2; i++) {
            dropThenAnswer(MISSES - 1);
        }
        api.healthStatus(503);
        int answered = api.healthAnswered();
        awaitTrue("503 answers", () -> api.healthAnswered() >= answered + 3);

        assertNull("no transition: " + events, events.peek());
        assertFalse(monitor.isGone(admin));

        dropThenAnswer(MISSES);

        assertEquals("gone " + admin, nextEvent());
        assertEquals("back " + admin, nextEvent());
    }

    @Test
    public void stopEndsTheProbeThread() throws Exception {
        awaitTrue("probes answered", () -> api.healthAnswered() >= 1);

        monitor.stop(Duration.ofSeconds(5));

        awaitTrue("no health thread left", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("onos-ncp-health")));
    }
}
