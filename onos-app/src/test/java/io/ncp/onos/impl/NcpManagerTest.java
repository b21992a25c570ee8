package io.ncp.onos.impl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.api.ReplicationStatus;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.SpecJson;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.util.List;
import java.util.Set;

import static io.ncp.onos.impl.ExpectedRules.REDIRECT;
import static io.ncp.onos.impl.ExpectedRules.SPECIAL;
import static io.ncp.onos.impl.ExpectedRules.asPrimary;
import static io.ncp.onos.impl.ExpectedRules.macOut;
import static io.ncp.onos.impl.ExpectedRules.out;
import static io.ncp.onos.impl.ExpectedRules.tunnel;
import static io.ncp.onos.impl.NcpFixture.S1;
import static io.ncp.onos.impl.NcpFixture.S2;
import static io.ncp.onos.impl.NcpFixture.S3;
import static io.ncp.onos.impl.NcpFixture.S4;
import static io.ncp.onos.impl.NcpFixture.spec;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * NcpManager with ONOS test doubles (DhcpManagerTest style) on the diamond of {@link NcpFixture}: exact FlowRules on
 * add, replanning on link-down and host-move events, symmetric removal on spec removal and deactivation, netcfg.
 */
public class NcpManagerTest {

    private static final String H1 = "10.0.0.1";
    private static final String H2 = "10.0.0.2";
    private static final String H3 = "10.0.0.3";
    private static final String H3_MAC = "00:00:00:00:00:03";

    private NcpFixture fx;
    private ExpectedRules expect;

    @Before
    public void setUp() {
        fx = new NcpFixture(true);
        expect = new ExpectedRules(fx.appId);
        fx.activate();
    }

    @After
    public void tearDown() {
        if (!fx.topology.listeners.isEmpty()) {
            fx.deactivate();
        }
    }

    /* Diamond, tunnel: primary route s1(1>2) s2(1>2) s4(2>1) (s2 beats s3 by name); middlebox route s1(1>3) s3(1>3);
       RedirectionSwitch s1. */
    private Set<FlowRuleKey> tunnelRulesAtS1() {
        return Set.of(
                expect.rule(S1, REDIRECT, 1, H1, 0, H2, 6379, tunnel(H3_MAC, H3, 7000, 3)),
                expect.rule(S3, SPECIAL, 3, H3, 7000, H1, 0, out(1)),
                expect.rule(S1, REDIRECT, 3, H3, 7000, H1, 0, asPrimary(H2, 6379, 1)));
    }

    @Test
    public void activationRegistersListenersAndConfigAndInstallsNothing() {
        assertEquals(1, fx.topology.listeners.size());
        assertEquals(1, fx.hosts.listeners.size());
        assertEquals(1, fx.netcfg.listeners.size());
        assertEquals(1, fx.netcfg.factories.size());
        assertTrue(fx.flows.applied.isEmpty());
    }

    @Test
    public void addedSpecSubmitsExactFlowRules() {
        ReplicationPlan plan = fx.manager.addReplication(spec("redis", true, null));

        assertEquals("of:s1", plan.clients().get(0).redirectionSwitch());
        assertEquals(tunnelRulesAtS1(), Set.copyOf(fx.flows.appliedKeys()));
        assertEquals(3, fx.flows.applied.size());
        ReplicationStatus status = fx.manager.getStatus("redis").orElseThrow();
        assertEquals(3, status.installedRules());
        assertNull(status.planningError());
        assertEquals(ReplicationStatus.PushState.NOT_CONFIGURED, status.pushState());
    }

    @Test
    public void nonTunnelSpecSubmitsSpecialRoutingRules() {
        fx.manager.addReplication(spec("redis", false, null));

        assertEquals(Set.of(
                expect.rule(S1, REDIRECT, 1, H1, 0, H2, 6379, out(3)),
                expect.rule(S3, SPECIAL, 1, H1, 0, H2, 6379, macOut(H3_MAC, 3)),
                expect.rule(S3, SPECIAL, 3, H2, 6379, H1, 0, out(1)),
                expect.rule(S1, SPECIAL, 3, H2, 6379, H1, 0, out(1))), Set.copyOf(fx.flows.appliedKeys()));
    }

    /* s1-s3 down: middlebox route s1(1>2) s2(1>2) s4(2>3) s3(2>3); backwards s3 no, s4 yes: RedirectionSwitch s4. */
    @Test
    public void linkDownReplansAndMovesTheRedirectionSwitch() {
        fx.manager.addReplication(spec("redis", true, null));
        fx.flows.clearCalls();

        fx.topology.setLinks(NcpFixture.withoutS1S3());

        assertEquals(tunnelRulesAtS1(), Set.copyOf(fx.flows.removedKeys()));
        Set<FlowRuleKey> atS4 = Set.of(
                expect.rule(S4, REDIRECT, 2, H1, 0, H2, 6379, tunnel(H3_MAC, H3, 7000, 3)),
                expect.rule(S3, SPECIAL, 3, H3, 7000, H1, 0, out(2)),
                expect.rule(S4, REDIRECT, 3, H3, 7000, H1, 0, asPrimary(H2, 6379, 2)));
        assertEquals(atS4, Set.copyOf(fx.flows.appliedKeys()));
        assertEquals(atS4, fx.flows.installed());
        assertEquals("of:s4", fx.manager.getStatus("redis").orElseThrow().plan().orElseThrow().clients().get(0)
                .redirectionSwitch());
    }

    /* The middlebox moves to s2:3: middlebox route s1(1>2) s2(1>3), s2 is on the primary route. */
    @Test
    public void hostMoveReplans() {
        fx.manager.addReplication(spec("redis", true, null));

        fx.hosts.move(3, S2, 3);

        assertEquals(Set.of(
                expect.rule(S2, REDIRECT, 1, H1, 0, H2, 6379, tunnel(H3_MAC, H3, 7000, 3)),
                expect.rule(S2, REDIRECT, 3, H3, 7000, H1, 0, asPrimary(H2, 6379, 1))), fx.flows.installed());
    }

    @Test
    public void noPathRemovesTheRulesAndReportsWhyThenRecovers() {
        fx.manager.addReplication(spec("redis", true, null));
        List<org.onosproject.net.Link> isolated = NcpFixture.withoutS1S3();
        isolated.removeIf(l -> l.src().deviceId().equals(S1) || l.dst().deviceId().equals(S1));

        fx.topology.setLinks(isolated);

        assertTrue(fx.flows.installed().isEmpty());
        ReplicationStatus status = fx.manager.getStatus("redis").orElseThrow();
        assertTrue(status.plan().isEmpty());
        assertTrue(status.planningError(), status.planningError().startsWith("no path from 00:00:00:00:00:01/None "
                + "(switch of:s1) to 00:00:00:00:00:02/None (switch of:s4)"));

        fx.topology.setLinks(NcpFixture.diamondLinks());

        assertEquals(tunnelRulesAtS1(), fx.flows.installed());
    }

    @Test
    public void removingASpecRemovesExactlyItsRules() {
        fx.manager.addReplication(spec("redis", true, null));
        fx.manager.addReplication(spec("other", "10.0.0.5", true, null));
        int both = fx.flows.installed().size();

        assertTrue(fx.manager.removeReplication("redis"));

        assertEquals(tunnelRulesAtS1(), Set.copyOf(fx.flows.removedKeys()));
        assertEquals(both - 3, fx.flows.installed().size());
        assertFalse(fx.manager.removeReplication("redis"));
        assertTrue(fx.manager.getReplication("redis").isEmpty());
    }

    @Test
    public void deactivateRemovesEveryRuleAndListener() {
        fx.manager.addReplication(spec("redis", true, null));
        fx.manager.addReplication(spec("other", "10.0.0.5", false, null));
        assertFalse(fx.flows.installed().isEmpty());

        fx.deactivate();

        assertTrue(fx.flows.installed().isEmpty());
        assertEquals(List.of(fx.appId), fx.flows.removedByAppId);
        assertTrue(fx.topology.listeners.isEmpty());
        assertTrue(fx.hosts.listeners.isEmpty());
        assertTrue(fx.netcfg.listeners.isEmpty());
        assertTrue(fx.netcfg.factories.isEmpty());
    }

    @Test
    public void unplannableSpecIsRejectedAndNotStored() {
        try {
            fx.manager.addReplication(spec("redis", "10.0.9.0/24", true, null));
            fail("a spec without client hosts must be rejected");
        } catch (PlanningException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("no client host of the topology is in selector.src"));
        }
        assertTrue(fx.manager.getReplications().isEmpty());
        assertTrue(fx.flows.applied.isEmpty());
    }

    @Test
    public void overlappingSpecIsRejected() {
        fx.manager.addReplication(spec("redis", true, null));
        try {
            fx.manager.addReplication(spec("again", "10.0.0.0/24", true, null));
            fail("overlap");
        } catch (SpecException e) {
            assertEquals("selector", e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("overlaps spec 'redis'"));
        }
        fx.manager.addReplication(spec("redis", false, null));
        assertFalse(fx.manager.getReplication("redis").orElseThrow().tunnel());
    }

    @Test
    public void networkConfigSpecsAreInstalledAndRemovedWithTheConfig() throws Exception {
        ObjectNode cfg = new ObjectMapper().createObjectNode();
        cfg.putArray("replications").add(SpecJson.write(spec("redis", true, null)));

        fx.netcfg.setNcpConfig(fx.appId, cfg);

        assertEquals(tunnelRulesAtS1(), fx.flows.installed());
        assertEquals(1, fx.manager.getReplications().size());

        fx.netcfg.setNcpConfig(fx.appId, new ObjectMapper().readTree("{\"replications\": []}"));

        assertTrue(fx.flows.installed().isEmpty());
        assertTrue(fx.manager.getReplications().isEmpty());
    }

    @Test
    public void configuredSpecWaitsForItsHostsInsteadOfBeingDropped() {
        fx.hosts.move(3, S3, 3);
        ObjectNode cfg = new ObjectMapper().createObjectNode();
        cfg.putArray("replications").add(SpecJson.write(spec("redis", "10.0.0.9", true, null)));

        fx.netcfg.setNcpConfig(fx.appId, cfg);

        ReplicationStatus status = fx.manager.getStatus("redis").orElseThrow();
        assertTrue(status.planningError(), status.planningError().startsWith("no client host"));
        assertTrue(fx.flows.installed().isEmpty());
    }
}
