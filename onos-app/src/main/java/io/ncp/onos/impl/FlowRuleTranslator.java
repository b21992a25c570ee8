package io.ncp.onos.impl;

import io.ncp.onos.planner.PlannedRule;
import io.ncp.onos.planner.RuleActions;
import io.ncp.onos.planner.RuleMatch;
import org.onlab.packet.Ethernet;
import org.onlab.packet.IPv4;
import org.onlab.packet.IpAddress;
import org.onlab.packet.IpPrefix;
import org.onlab.packet.MacAddress;
import org.onlab.packet.TpPort;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.PortNumber;
import org.onosproject.net.flow.DefaultFlowRule;
import org.onosproject.net.flow.DefaultTrafficSelector;
import org.onosproject.net.flow.DefaultTrafficTreatment;
import org.onosproject.net.flow.FlowRule;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.flow.TrafficTreatment;

/**
 * Turns a planner rule into an ONOS {@link FlowRule}: device = the rule's switch name (a DeviceId string), the
 * role's named priority, permanent, {@code fromApp(appId)}; match and actions one to one. Stateless.
 */
public final class FlowRuleTranslator {

    private FlowRuleTranslator() {
    }

    /** The FlowRule for {@code rule}, owned by {@code appId}. */
    public static FlowRule toFlowRule(PlannedRule rule, ApplicationId appId) {
        return DefaultFlowRule.builder()
                .forDevice(DeviceId.deviceId(rule.switchName()))
                .withSelector(selector(rule.match()))
                .withTreatment(treatment(rule.actions()))
                .withPriority(rule.priority())
                .fromApp(appId)
                .makePermanent()
                .build();
    }

    static TrafficSelector selector(RuleMatch m) {
        TrafficSelector.Builder s = DefaultTrafficSelector.builder()
                .matchInPort(PortNumber.portNumber(m.inPort()))
                .matchEthType(Ethernet.TYPE_IPV4)
                .matchIPProtocol(IPv4.PROTOCOL_TCP)
                .matchIPSrc(IpPrefix.valueOf(m.nwSrc().toString()))
                .matchIPDst(IpPrefix.valueOf(m.nwDst().toString()));
        if (m.tpSrc() != 0) {
            s.matchTcpSrc(TpPort.tpPort(m.tpSrc()));
        }
        if (m.tpDst() != 0) {
            s.matchTcpDst(TpPort.tpPort(m.tpDst()));
        }
        return s.build();
    }

    static TrafficTreatment treatment(RuleActions a) {
        TrafficTreatment.Builder t = DefaultTrafficTreatment.builder();
        if (a.setEthDst() != null) {
            t.setEthDst(MacAddress.valueOf(a.setEthDst().toString()));
        }
        if (a.setIpDst() != null) {
            t.setIpDst(IpAddress.valueOf(a.setIpDst().toString()));
        }
        if (a.setTcpDst() != 0) {
            t.setTcpDst(TpPort.tpPort(a.setTcpDst()));
        }
        if (a.setIpSrc() != null) {
            t.setIpSrc(IpAddress.valueOf(a.setIpSrc().toString()));
        }
        if (a.setTcpSrc() != 0) {
            t.setTcpSrc(TpPort.tpPort(a.setTcpSrc()));
        }
        return t.setOutput(PortNumber.portNumber(a.output())).build();
    }
}
