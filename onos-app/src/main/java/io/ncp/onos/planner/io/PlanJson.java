package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.BaseRoutes;
import io.ncp.onos.planner.ClientPlan;
import io.ncp.onos.planner.NetworkGraph;
import io.ncp.onos.planner.PlannedRule;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.RuleActions;
import io.ncp.onos.planner.RuleMatch;
import io.ncp.onos.planner.SwitchNode;

import java.util.List;

/** The JSON form of a {@link ReplicationPlan} (ncp-plan {@code --format json}, REST plan preview). Stateless. */
public final class PlanJson {

    private PlanJson() {
    }

    /** The plan as JSON; {@code graph} supplies the switches' dpids (may be null). */
    public static ObjectNode write(ReplicationPlan plan, NetworkGraph graph) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", plan.spec().name());
        root.put("tunnel", plan.spec().tunnel());
        ArrayNode clients = root.putArray("clients");
        for (ClientPlan c : plan.clients()) {
            ObjectNode n = clients.addObject();
            n.put("host", c.client().name());
            n.put("ip", c.client().ip().toString());
            n.put("redirectionSwitch", c.redirectionSwitch());
            c.primaryRoute().forEach(n.putArray("primaryRoute")::add);
            c.middleboxRoute().forEach(n.putArray("middleboxRoute")::add);
        }
        ArrayNode rules = root.putArray("rules");
        for (PlannedRule r : plan.rules()) {
            rules.add(rule(r, graph));
        }
        return root;
    }

    /** Adds {@code baseRoutes} to a plan's JSON. */
    public static void addBaseRoutes(ObjectNode planJson, List<BaseRoutes.BaseRoute> routes) {
        ArrayNode list = planJson.putArray("baseRoutes");
        for (BaseRoutes.BaseRoute r : routes) {
            ObjectNode n = list.addObject();
            n.put("switch", r.switchName());
            n.put("host", r.host().name());
            n.put("ip", r.host().ip().toString());
            n.put("output", r.outPort());
        }
    }

    /** One rule as JSON. */
    public static ObjectNode rule(PlannedRule r, NetworkGraph graph) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("switch", r.switchName());
        String dpid = graph == null ? null : graph.switchNode(r.switchName()).map(SwitchNode::dpid).orElse(null);
        if (dpid != null) {
            n.put("dpid", dpid);
        }
        n.put("role", r.role().label());
        n.put("priority", r.priority());
        RuleMatch m = r.match();
        ObjectNode match = n.putObject("match");
        match.put("inPort", m.inPort());
        match.put("ethType", String.format("0x%04x", RuleMatch.ETH_TYPE_IPV4));
        match.put("ipProto", RuleMatch.IP_PROTO_TCP);
        match.put("nwSrc", m.nwSrc().toString());
        if (m.tpSrc() != 0) {
            match.put("tpSrc", m.tpSrc());
        }
        match.put("nwDst", m.nwDst().toString());
        if (m.tpDst() != 0) {
            match.put("tpDst", m.tpDst());
        }
        RuleActions a = r.actions();
        ObjectNode actions = n.putObject("actions");
        if (a.setEthDst() != null) {
            actions.put("setEthDst", a.setEthDst().toString());
        }
        if (a.setIpDst() != null) {
            actions.put("setIpDst", a.setIpDst().toString());
        }
        if (a.setTcpDst() != 0) {
            actions.put("setTcpDst", a.setTcpDst());
        }
        if (a.setIpSrc() != null) {
            actions.put("setIpSrc", a.setIpSrc().toString());
        }
        if (a.setTcpSrc() != 0) {
            actions.put("setTcpSrc", a.setTcpSrc());
        }
        actions.put("output", a.output());
        return n;
    }
}
