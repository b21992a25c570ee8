package io.ncp.onos.planner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ncp.onos.planner.RuleRole.REDIRECT;
import static io.ncp.onos.planner.RuleRole.RETURN;
import static io.ncp.onos.planner.RuleRole.RETURN_REWRITE;
import static io.ncp.onos.planner.RuleRole.TO_MIDDLEBOX;
import static io.ncp.onos.planner.Specs.asPrimary;
import static io.ncp.onos.planner.Specs.fromMiddlebox;
import static io.ncp.onos.planner.Specs.fromPrimary;
import static io.ncp.onos.planner.Specs.mac;
import static io.ncp.onos.planner.Specs.out;
import static io.ncp.onos.planner.Specs.rule;
import static io.ncp.onos.planner.Specs.spec;
import static io.ncp.onos.planner.Specs.toPrimary;
import static io.ncp.onos.planner.Specs.tunnelTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LCA scheme on hand-checked topologies; every expected switch, port and rule is worked out in comments. */
class RedirectionPlannerTest {

    private final RedirectionPlanner planner = new RedirectionPlanner();

    /*
     * Tree depth 2, fanout 2: s1 root (s2 on port 1, s3 on port 2); s2 holds h1 (1), h2 (2), s1 on 3; s3 holds
     * h3 (1), h4 (2), s1 on 3. Client h1, primary h3, middlebox h4 (on the primary's own switch):
     * primary route s2(1>3) s1(1>2) s3(3>1); middlebox route s2(1>3) s1(1>2) s3(3>2); walking the middlebox route
     * backwards, s3 is already on the primary route: RedirectionSwitch s3, reached on port 3, toward h4 on port 2.
     */
    @Test
    void treeDepth2MiddleboxOnPrimarysSwitchTunnel() {
        ReplicationPlan plan = planner.plan(Topologies.tree(2, 2), spec(1, 3, 4, true));

        assertThat(plan.clients()).hasSize(1);
        ClientPlan c = plan.clients().get(0);
        assertThat(c.redirectionSwitch()).isEqualTo("s3");
        assertThat(c.primaryRoute()).containsExactly("s2", "s1", "s3");
        assertThat(c.middleboxRoute()).containsExactly("s2", "s1", "s3");
        assertThat(plan.rules()).containsExactly(
                rule("s3", REDIRECT, toPrimary(3, 1, 3), tunnelTo(4, 2)),
                rule("s3", RETURN_REWRITE, fromMiddlebox(2, 4, 1), asPrimary(3, 3)));
    }

    @Test
    void treeDepth2MiddleboxOnPrimarysSwitchNonTunnelSetsTheMiddleboxMac() {
        ReplicationPlan plan = planner.plan(Topologies.tree(2, 2), spec(1, 3, 4, false));

        assertThat(plan.rules()).containsExactly(
                rule("s3", REDIRECT, toPrimary(3, 1, 3), out(2).withEthDst(mac(4))),
                rule("s3", RETURN, fromPrimary(2, 3, 1), out(3)));
    }

    /*
     * Middlebox in another branch: client h1 and primary h2 on s2, middlebox h3 on s3. Primary route s2(1>2);
     * middlebox route s2(1>3) s1(1>2) s3(3>1); backwards s3, s1 are not on the primary route, s2 is: redirect at
     * the client's own switch. Non-tunnel: special routing on s1 (in 1, out 2) and s3 (in 3, out 1, set h3's MAC);
     * answers come back s3(1>3), s1(2>1), s2(3>1).
     */
    @Test
    void treeDepth2MiddleboxInAnotherBranchNonTunnel() {
        ReplicationPlan plan = planner.plan(Topologies.tree(2, 2), spec(1, 2, 3, false));

        assertThat(plan.clients().get(0).redirectionSwitch()).isEqualTo("s2");
        assertThat(plan.clients().get(0).primaryRoute()).containsExactly("s2");
        assertThat(plan.rules()).containsExactly(
                rule("s2", REDIRECT, toPrimary(1, 1, 2), out(3)),
                rule("s1", TO_MIDDLEBOX, toPrimary(1, 1, 2), out(2)),
                rule("s3", TO_MIDDLEBOX, toPrimary(3, 1, 2), out(1).withEthDst(mac(3))),
                rule("s3", RETURN, fromPrimary(1, 2, 1), out(3)),
                rule("s1", RETURN, fromPrimary(2, 2, 1), out(1)),
                rule("s2", RETURN, fromPrimary(3, 2, 1), out(1)));
    }

    @Test
    void treeDepth2MiddleboxInAnotherBranchTunnelNeedsNoSpecialForwardRouting() {
        ReplicationPlan plan = planner.plan(Topologies.tree(2, 2), spec(1, 2, 3, true));

        assertThat(plan.rules()).containsExactly(
                rule("s2", REDIRECT, toPrimary(1, 1, 2), tunnelTo(3, 3)),
                rule("s3", RETURN, fromMiddlebox(1, 3, 1), out(3)),
                rule("s1", RETURN, fromMiddlebox(2, 3, 1), out(1)),
                rule("s2", RETURN_REWRITE, fromMiddlebox(3, 3, 1), asPrimary(2, 1)));
    }

    /*
     * Tree depth 3, fanout 2: s1 (s2 on 1, s5 on 2); s2 (s3 on 1, s4 on 2, s1 on 3); s3 hosts h1, h2; s4 hosts h3,
     * h4; s5 (s6 on 1, s7 on 2, s1 on 3); s7 hosts h7 (1), h8 (2). Client h1, primary h7, middlebox h4:
     * primary route s3(1>3) s2(1>3) s1(1>2) s5(3>2) s7(3>1); middlebox route s3(1>3) s2(1>2) s4(3>2).
     * Backwards: s4 no, s2 yes: RedirectionSwitch s2, entered on port 1, middlebox side port 2.
     */
    @Test
    void treeDepth3Tunnel() {
        ReplicationPlan plan = planner.plan(Topologies.tree(3, 2), spec(1, 7, 4, true));

        ClientPlan c = plan.clients().get(0);
        assertThat(c.primaryRoute()).containsExactly("s3", "s2", "s1", "s5", "s7");
        assertThat(c.middleboxRoute()).containsExactly("s3", "s2", "s4");
        assertThat(c.redirectionSwitch()).isEqualTo("s2");
        assertThat(plan.rules()).containsExactly(
                rule("s2", REDIRECT, toPrimary(1, 1, 7), tunnelTo(4, 2)),
                rule("s4", RETURN, fromMiddlebox(2, 4, 1), out(3)),
                rule("s2", RETURN_REWRITE, fromMiddlebox(2, 4, 1), asPrimary(7, 1)));
    }

    @Test
    void treeDepth3NonTunnel() {
        ReplicationPlan plan = planner.plan(Topologies.tree(3, 2), spec(1, 7, 4, false));

        assertThat(plan.rules()).containsExactly(
                rule("s2", REDIRECT, toPrimary(1, 1, 7), out(2)),
                rule("s4", TO_MIDDLEBOX, toPrimary(3, 1, 7), out(2).withEthDst(mac(4))),
                rule("s4", RETURN, fromPrimary(2, 7, 1), out(3)),
                rule("s2", RETURN, fromPrimary(2, 7, 1), out(1)));
    }

    /*
     * Fat-tree k=4, client h1 (e11 port 1), primary h16 (e42 port 2), middlebox h5 (e21 port 1). Ties: from e11 both
     * a11 and a12 are 3 hops from e42, a11 wins by name; from a11, c1 beats c2. Primary route e11(1>3) a11(1>3)
     * c1(1>4) a41(3>2) e42(3>2); middlebox route e11(1>3) a11(1>3) c1(1>2) a21(3>1) e21(3>1). Backwards: e21, a21
     * not on the primary route, c1 is: RedirectionSwitch c1 (in 1, toward the middlebox on 2).
     */
    @Test
    void fatTreeK4NonTunnel() {
        ReplicationPlan plan = planner.plan(Topologies.fatTree4(), spec(1, 16, 5, false));

        ClientPlan c = plan.clients().get(0);
        assertThat(c.primaryRoute()).containsExactly("e11", "a11", "c1", "a41", "e42");
        assertThat(c.middleboxRoute()).containsExactly("e11", "a11", "c1", "a21", "e21");
        assertThat(c.redirectionSwitch()).isEqualTo("c1");
        assertThat(plan.rules()).containsExactly(
                rule("c1", REDIRECT, toPrimary(1, 1, 16), out(2)),
                rule("a21", TO_MIDDLEBOX, toPrimary(3, 1, 16), out(1)),
                rule("e21", TO_MIDDLEBOX, toPrimary(3, 1, 16), out(1).withEthDst(mac(5))),
                rule("e21", RETURN, fromPrimary(1, 16, 1), out(3)),
                rule("a21", RETURN, fromPrimary(1, 16, 1), out(3)),
                rule("c1", RETURN, fromPrimary(2, 16, 1), out(1)));
    }

    /* Same pod: client h1 (e11), primary h3 (e12 port 1), middlebox h4 (e12 port 2): both routes e11 a11 e12. */
    @Test
    void fatTreeK4SamePodTunnel() {
        ReplicationPlan plan = planner.plan(Topologies.fatTree4(), spec(1, 3, 4, true));

        assertThat(plan.clients().get(0).primaryRoute()).containsExactly("e11", "a11", "e12");
        assertThat(plan.rules()).containsExactly(
                rule("e12", REDIRECT, toPrimary(3, 1, 3), tunnelTo(4, 2)),
                rule("e12", RETURN_REWRITE, fromMiddlebox(2, 4, 1), asPrimary(3, 3)));
    }

    /*
     * Linear 4 (Mininet LinearTopo: si has hi on 1, s(i-1) on 2, s(i+1) on 3; s1 has s2 on 2). Client h2, primary
     * h4, middlebox h1: primary route s2(1>3) s3(2>3) s4(2>1); middlebox route s2(1>2) s1(2>1): redirect at s2.
     */
    @Test
    void linearMiddleboxBehindTheClient() {
        ReplicationPlan plan = planner.plan(Topologies.linear(4), spec(2, 4, 1, false));

        assertThat(plan.clients().get(0).redirectionSwitch()).isEqualTo("s2");
        assertThat(plan.rules()).containsExactly(
                rule("s2", REDIRECT, toPrimary(1, 2, 4), out(2)),
                rule("s1", TO_MIDDLEBOX, toPrimary(2, 2, 4), out(1).withEthDst(mac(1))),
                rule("s1", RETURN, fromPrimary(1, 4, 2), out(2)),
                rule("s2", RETURN, fromPrimary(2, 4, 2), out(1)));
    }

    /* Linear 4, client h1, primary h4, middlebox h3 on the primary route: redirect where the middlebox hangs, s3. */
    @Test
    void linearMiddleboxOnThePrimaryRoute() {
        ReplicationPlan plan = planner.plan(Topologies.linear(4), spec(1, 4, 3, true));

        assertThat(plan.clients().get(0).primaryRoute()).containsExactly("s1", "s2", "s3", "s4");
        assertThat(plan.rules()).containsExactly(
                rule("s3", REDIRECT, toPrimary(2, 1, 4), tunnelTo(3, 1)),
                rule("s3", RETURN_REWRITE, fromMiddlebox(1, 3, 1), asPrimary(4, 2)));
    }

    @Test
    void clientPortIsMatchedBothWays() {
        ReplicationSpec base = spec(1, 3, 4, true);
        ReplicationSpec spec = new ReplicationSpec("redis", new FlowSelector(base.selector().src(), 40000,
                base.selector().dst(), 6379), base.middlebox(), base.replicas(), true);

        List<PlannedRule> rules = planner.plan(Topologies.tree(2, 2), spec).rules();

        assertThat(rules.get(0).match().tpSrc()).isEqualTo(40000);
        assertThat(rules.get(1).match().tpDst()).isEqualTo(40000);
    }

    /* A prefix selects every host in it except primary, middlebox and replicas; each client gets its own rules. */
    @Test
    void prefixSelectsEachClientHostExceptTheServiceHosts() {
        ReplicationSpec spec = spec("10.0.0.0/29", 3, 4, true);

        ReplicationPlan plan = planner.plan(Topologies.tree(2, 2), spec);

        assertThat(plan.clients()).extracting(c -> c.client().name()).containsExactly("h1", "h2");
        assertThat(plan.rules()).hasSize(4);
        assertThat(plan.rules().get(2)).isEqualTo(rule("s3", REDIRECT, toPrimary(3, 2, 3), tunnelTo(4, 2)));
    }

    @Test
    void noPathIsAClearError() {
        NetworkGraph.Builder b = NetworkGraph.builder().addSwitch("s1", null).addSwitch("s2", null);
        Topologies.host(b, 1, "s1", 1);
        Topologies.host(b, 2, "s2", 1);
        Topologies.host(b, 3, "s1", 2);

        assertThatThrownBy(() -> planner.plan(b.build(), spec(1, 2, 3, true)))
                .isInstanceOf(PlanningException.class)
                .hasMessage("no path from h1 (switch s1) to h2 (switch s2)");
    }

    @Test
    void linkDirectionMatters() {
        NetworkGraph.Builder b = NetworkGraph.builder().addSwitch("s1", null).addSwitch("s2", null)
                .addDirectedLink("s2", 3, "s1", 3);
        Topologies.host(b, 1, "s1", 1);
        Topologies.host(b, 2, "s2", 1);
        Topologies.host(b, 3, "s1", 2);

        assertThatThrownBy(() -> planner.plan(b.build(), spec(1, 2, 3, true)))
                .hasMessageContaining("no path from h1 (switch s1) to h2");
    }

    @Test
    void unknownPrimaryOrMiddleboxIsNamed() {
        assertThatThrownBy(() -> planner.plan(Topologies.tree(2, 2), spec(1, 9, 4, true)))
                .isInstanceOf(PlanningException.class)
                .hasMessage("primary (selector.dst) 10.0.0.9 is not a host of the topology");
        assertThatThrownBy(() -> planner.plan(Topologies.tree(2, 2), spec(1, 3, 9, true)))
                .hasMessage("middlebox (middlebox.host) 10.0.0.9 is not a host of the topology");
        assertThatThrownBy(() -> planner.plan(Topologies.tree(2, 2), spec("10.0.1.0/24", 3, 4, true)))
                .hasMessageContaining("no client host of the topology is in selector.src 10.0.1.0/24");
    }

    /* R4 at topology level: the replica's IP is another address of the primary's host. */
    @Test
    void r4RejectsAReplicaOnThePrimarysHostNamingIt() {
        NetworkGraph.Builder b = NetworkGraph.builder().addSwitch("s1", null);
        Topologies.host(b, 1, "s1", 1);
        b.addHost("db", List.of(Specs.ip(2), Ipv4.parse("10.0.1.9")), Specs.mac(2), "s1", 2);
        Topologies.host(b, 3, "s1", 3);

        assertThatThrownBy(() -> planner.plan(b.build(), spec(1, 2, 3, true)))
                .isInstanceOf(PlanningException.class)
                .hasMessageStartingWith("R4: replica 10.0.1.9:6379 runs on host db, the primary's host");
    }

    /* Positive control for R4: the same topology with the replica elsewhere plans fine. */
    @Test
    void r4AcceptsAReplicaOnAnotherHost() {
        NetworkGraph.Builder b = NetworkGraph.builder().addSwitch("s1", null);
        Topologies.host(b, 1, "s1", 1);
        b.addHost("db", List.of(Specs.ip(2)), Specs.mac(2), "s1", 2);
        Topologies.host(b, 3, "s1", 3);
        b.addHost("replica", List.of(Ipv4.parse("10.0.1.9")), Specs.mac(9), "s1", 4);

        assertThat(planner.plan(b.build(), spec(1, 2, 3, true)).rules()).hasSize(2);
    }

    /* Two equal-cost paths around a square: the lower switch name wins, whichever order links were added in. */
    @Test
    void tiesAreBrokenByTheLowerSwitchName() {
        NetworkGraph.Builder b = NetworkGraph.builder();
        for (String s : List.of("s1", "s10", "s2", "s4")) {
            b.addSwitch(s, null);
        }
        b.addLink("s1", 2, "s10", 1).addLink("s1", 3, "s2", 1).addLink("s10", 2, "s4", 2)
                .addLink("s2", 2, "s4", 3);
        Topologies.host(b, 1, "s1", 1);
        Topologies.host(b, 4, "s4", 1);
        Topologies.host(b, 5, "s2", 3);

        ReplicationPlan plan = planner.plan(b.build(), spec(1, 4, 5, true));

        assertThat(plan.clients().get(0).primaryRoute()).containsExactly("s1", "s2", "s4");
        assertThat(plan.clients().get(0).redirectionSwitch()).isEqualTo("s2");
    }
}
