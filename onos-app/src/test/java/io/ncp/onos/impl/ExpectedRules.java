package io.ncp.onos.impl;

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
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.flow.TrafficTreatment;

/** Hand-written expected FlowRules (built with ONOS builders, independently of FlowRuleTranslator). */
final class ExpectedRules {

    static final int REDIRECT = 40100;
    static final int SPECIAL = 40090;

    private final ApplicationId appId;

    ExpectedRules(ApplicationId appId) {
        this.appId = appId;
    }

    /** TCP {@code src[:tpSrc] -> dst[:tpDst]} entering {@code device} on {@code inPort}. */
    FlowRuleKey rule(DeviceId device, int priority, int inPort, String src, int tpSrc, String dst, int tpDst,
                     TrafficTreatment treatment) {
        TrafficSelector.Builder s = DefaultTrafficSelector.builder()
                .matchInPort(PortNumber.portNumber(inPort))
                .matchEthType(Ethernet.TYPE_IPV4)
                .matchIPProtocol(IPv4.PROTOCOL_TCP)
                .matchIPSrc(IpPrefix.valueOf(src + "/32"))
                .matchIPDst(IpPrefix.valueOf(dst + "/32"));
        if (tpSrc != 0) {
            s.matchTcpSrc(TpPort.tpPort(tpSrc));
        }
        if (tpDst != 0) {
            s.matchTcpDst(TpPort.tpPort(tpDst));
        }
        return FlowRuleKey.of(DefaultFlowRule.builder().forDevice(device).withSelector(s.build())
                .withTreatment(treatment).withPriority(priority).fromApp(appId).makePermanent().build());
    }

    static TrafficTreatment out(int port) {
        return DefaultTrafficTreatment.builder().setOutput(PortNumber.portNumber(port)).build();
    }

    static TrafficTreatment macOut(String mac, int port) {
        return DefaultTrafficTreatment.builder().setEthDst(MacAddress.valueOf(mac))
                .setOutput(PortNumber.portNumber(port)).build();
    }

    /** Tunnel: rewrite toward the middlebox {@code mac/ip:port} and output. */
    static TrafficTreatment tunnel(String mac, String ip, int tcp, int port) {
        return DefaultTrafficTreatment.builder().setEthDst(MacAddress.valueOf(mac)).setIpDst(IpAddress.valueOf(ip))
                .setTcpDst(TpPort.tpPort(tcp)).setOutput(PortNumber.portNumber(port)).build();
    }

    /** Return rewrite: source back to the primary {@code ip:tcp}, output. */
    static TrafficTreatment asPrimary(String ip, int tcp, int port) {
        return DefaultTrafficTreatment.builder().setIpSrc(IpAddress.valueOf(ip)).setTcpSrc(TpPort.tpPort(tcp))
                .setOutput(PortNumber.portNumber(port)).build();
    }
}
