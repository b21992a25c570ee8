package io.ncp.onos.impl;

import io.ncp.onos.api.ReplicationStatus.PushState;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * NcpManager with its real planner thread and a real loopback admin API: rules are installed off the caller's
 * thread, the spec is PUT to the middlebox on add and DELETEd on removal, and deactivation still removes every rule.
 */
public class NcpManagerThreadingTest {

    private NcpFixture fx;
    private AdminApiStub api;

    @Before
    public void setUp() throws Exception {
        fx = new NcpFixture(false);
        api = new AdminApiStub();
        fx.activate();
    }

    @After
    public void tearDown() {
        if (!fx.topology.listeners.isEmpty()) {
            fx.deactivate();
        }
        api.close();
    }

    @Test
    public void installsOnThePlannerThreadAndPushesToTheMiddlebox() throws Exception {
        fx.manager.addReplication(NcpFixture.spec("redis", true, api.address()));

        awaitTrue("3 rules installed", () -> fx.flows.installed().size() == 3);
        AdminApiStub.Request put = api.next();
        assertEquals("PUT /services/redis", put.method + " " + put.path);
        assertTrue(put.body, put.body.contains("\"listen\":\"10.0.0.3:7000\""));
        awaitTrue("PUSHED", () -> fx.manager.getStatus("redis").orElseThrow().pushState() == PushState.PUSHED);
        assertEquals(List.of("onos-ncp-planner-0"), fx.flows.callerThreads);

        assertTrue(fx.manager.removeReplication("redis"));

        AdminApiStub.Request delete = api.next();
        assertEquals("DELETE /services/redis", delete.method + " " + delete.path);
        awaitTrue("rules removed", () -> fx.flows.installed().isEmpty());
    }

    @Test
    public void deactivationWaitsForTheRuleRemoval() throws Exception {
        fx.manager.addReplication(NcpFixture.spec("redis", true, null));
        awaitTrue("3 rules installed", () -> fx.flows.installed().size() == 3);

        fx.deactivate();

        assertTrue(fx.flows.installed().isEmpty());
        assertEquals(3, fx.flows.removed.size());
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
