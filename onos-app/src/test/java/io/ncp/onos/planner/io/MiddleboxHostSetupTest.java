package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.ReplicationSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The middlebox host's commands ({@code ncp-plan --middlebox-setup}); that they work is checked by
 * {@code onos-app/scripts/ovs-plan-smoke.sh non-tunnel}, which runs them and diffs them with the middlebox's own.
 */
class MiddleboxHostSetupTest {

    @Test
    void nonTunnelModeTproxiesThePrimarysSessionsToTheListenerPort() throws Exception {
        ObjectNode n = (ObjectNode) new ObjectMapper().readTree(SpecJsonTest.SPEC);
        n.put("tunnel", false);
        n.put("name", "my-redis");
        ((ObjectNode) n.get("middlebox")).put("listenPort", 6379);

        List<String> lines = MiddleboxHostSetup.lines(SpecJson.read(n));

        assertThat(lines.get(0)).startsWith("# middlebox host 10.0.0.3 (spec my-redis, non-tunnel)");
        assertThat(lines).contains("table ip ncp_my_redis {",
                "        ip daddr 10.0.0.2 tcp dport 6379 tproxy to :6379 meta mark set 0x4e43 accept",
                "        meta l4proto tcp socket transparent 1 meta mark set 0x4e43 accept",
                "ip rule add fwmark 0x4e43 lookup 20035",
                "ip route replace local 0.0.0.0/0 dev lo table 20035");
    }

    @Test
    void tunnelModeNeedsNothing() throws Exception {
        ReplicationSpec spec = SpecJson.read(new ObjectMapper().readTree(SpecJsonTest.SPEC));

        assertThat(MiddleboxHostSetup.lines(spec)).hasSize(1).allMatch(l -> l.startsWith("#"))
                .allMatch(l -> l.contains("nothing to set up"));
    }
}
