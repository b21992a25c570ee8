package io.ncp.onos.planner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OvsFlowFormatterTest {

    @Test
    void tunnelPlanAsOvsOfctlLines() {
        ReplicationPlan plan = new RedirectionPlanner().plan(Topologies.tree(2, 2), Specs.spec(1, 3, 4, true));
        String cookie = String.format("0x%016x", OvsFlowFormatter.cookie("redis"));

        assertThat(cookie).startsWith("0x4e430001");
        assertThat(OvsFlowFormatter.addLines(plan)).containsExactly(
                "ovs-ofctl -O OpenFlow13 add-flow s3 'cookie=" + cookie + ",priority=40100,tcp,in_port=3,"
                        + "nw_src=10.0.0.1,nw_dst=10.0.0.3,tcp_dst=6379,actions=set_field:00:00:00:00:00:04->eth_dst,"
                        + "set_field:10.0.0.4->ip_dst,set_field:7000->tcp_dst,output:2'",
                "ovs-ofctl -O OpenFlow13 add-flow s3 'cookie=" + cookie + ",priority=40100,tcp,in_port=2,"
                        + "nw_src=10.0.0.4,tcp_src=7000,nw_dst=10.0.0.1,actions=set_field:10.0.0.3->ip_src,"
                        + "set_field:6379->tcp_src,output:3'");
        assertThat(OvsFlowFormatter.deleteLines(plan)).containsExactly(
                "ovs-ofctl -O OpenFlow13 del-flows s3 'cookie=" + cookie + "/-1'");
    }

    /* Linear 3: routes toward h2 (s2 port 1): s1 via port 2, s3 via port 2; two lines (ip + arp) per route. */
    @Test
    void baseRoutesFollowTheRoutingTrees() {
        List<BaseRoutes.BaseRoute> routes = BaseRoutes.of(Topologies.linear(3));

        assertThat(routes).hasSize(9);
        assertThat(routes.subList(3, 6)).extracting(BaseRoutes.BaseRoute::toString)
                .containsExactly("s1: 10.0.0.2 -> 2", "s2: 10.0.0.2 -> 1", "s3: 10.0.0.2 -> 2");
        assertThat(OvsFlowFormatter.addLines(routes.subList(0, 1))).containsExactly(
                "ovs-ofctl -O OpenFlow13 add-flow s1 'cookie=0x4e43000000000001,priority=100,ip,nw_dst=10.0.0.1,"
                        + "actions=output:1'",
                "ovs-ofctl -O OpenFlow13 add-flow s1 'cookie=0x4e43000000000001,priority=100,arp,arp_tpa=10.0.0.1,"
                        + "actions=output:1'");
    }
}
