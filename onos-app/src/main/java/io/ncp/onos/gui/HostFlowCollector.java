package io.ncp.onos.gui;

import io.ncp.onos.api.NcpService;
import io.ncp.onos.api.ReplicationStatus;
import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.ReplicationSpec;
import org.onlab.packet.IpAddress;
import org.onlab.packet.IpPrefix;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.net.Host;
import org.onosproject.net.flow.FlowEntry;
import org.onosproject.net.flow.FlowRuleService;
import org.onosproject.net.flow.TrafficSelector;
import org.onosproject.net.flow.criteria.Criterion;
import org.onosproject.net.flow.criteria.EthCriterion;
import org.onosproject.net.flow.criteria.IPCriterion;
import org.onosproject.net.flow.criteria.TcpPortCriterion;
import org.onosproject.net.host.HostService;
import org.onosproject.net.topology.TopologyService;
import org.onosproject.net.topology.TopologyVertex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives host-to-host flows from the flow tables: a flow entry whose selector matches an IPv4 source and
 * destination of known hosts (a {@code /32} each), or else an Ethernet source and destination of known hosts
 * (ONOS's reactive forwarding), is one direction of a host-to-host flow; entries are grouped by (source,
 * destination, TCP destination port). NCP's own rules are left out (they are plumbing, not traffic). Stateless.
 */
public final class HostFlowCollector {

    private HostFlowCollector() {
    }

    /** The host-to-host flows on the devices of the current topology, sorted by id. */
    public static List<HostFlow> collect(FlowRuleService flows, HostService hosts, TopologyService topology,
                                         CoreService core, NcpService ncp) {
        ApplicationId ncpApp = core.getAppId(NcpService.APP_NAME);
        Map<String, Builder> grouped = new TreeMap<>();
        for (TopologyVertex v : topology.getGraph(topology.currentTopology()).getVertexes()) {
            for (FlowEntry e : flows.getFlowEntries(v.deviceId())) {
                if (ncpApp != null && e.appId() == ncpApp.id()) {
                    continue;
                }
                endpoints(e.selector(), hosts).ifPresent(ends -> {
                    Criterion tcp = e.selector().getCriterion(Criterion.Type.TCP_DST);
                    int port = tcp == null ? 0 : ((TcpPortCriterion) tcp).tcpPort().toInt();
                    Builder b = grouped.computeIfAbsent(ip(ends[0]) + ">" + ip(ends[1]) + ":" + port,
                        k -> new Builder(ends[0], ends[1], port));
                    b.devices.add(v.deviceId().toString());
                    b.packets = Math.max(b.packets, e.packets());
                    b.bytes = Math.max(b.bytes, e.bytes());
                });
            }
        }
        List<HostFlow> list = new ArrayList<>();
        List<ReplicationSpec> specs = ncp.getReplications();
        for (Builder b : grouped.values()) {
            list.add(b.build(replication(ncp, specs, ip(b.src), ip(b.dst), b.port)));
        }
        list.sort(Comparator.comparing(HostFlow::id));
        return list;
    }

    private static Optional<Host[]> endpoints(TrafficSelector s, HostService hosts) {
        Criterion src = s.getCriterion(Criterion.Type.IPV4_SRC);
        Criterion dst = s.getCriterion(Criterion.Type.IPV4_DST);
        if (src != null && dst != null) {
            return pair(host(((IPCriterion) src).ip(), hosts), host(((IPCriterion) dst).ip(), hosts));
        }
        Criterion esrc = s.getCriterion(Criterion.Type.ETH_SRC);
        Criterion edst = s.getCriterion(Criterion.Type.ETH_DST);
        if (esrc != null && edst != null) {
            return pair(hosts.getHostsByMac(((EthCriterion) esrc).mac()).stream().findFirst().orElse(null),
                    hosts.getHostsByMac(((EthCriterion) edst).mac()).stream().findFirst().orElse(null));
        }
        return Optional.empty();
    }

    private static Host host(IpPrefix prefix, HostService hosts) {
        if (!prefix.isIp4() || prefix.prefixLength() != 32) {
            return null;
        }
        return hosts.getHostsByIp(prefix.address()).stream().findFirst().orElse(null);
    }

    private static Optional<Host[]> pair(Host a, Host b) {
        return a == null || b == null || a.equals(b) ? Optional.empty() : Optional.of(new Host[] {a, b});
    }

    private static String ip(Host h) {
        return h.ipAddresses().stream().filter(IpAddress::isIp4).sorted().findFirst().map(IpAddress::toString)
                .orElse("");
    }

    /** The spec that replicates src→dst:port, with " (FAIL_OPEN)" while its middlebox is gone; or "". */
    private static String replication(NcpService ncp, List<ReplicationSpec> specs, String src, String dst,
                                      int port) {
        if (src.isEmpty() || dst.isEmpty()) {
            return "";
        }
        for (ReplicationSpec s : specs) {
            boolean srcIn = s.selector().src().contains(Ipv4.parse(src));
            if (srcIn && s.selector().dst().equals(Ipv4.parse(dst))
                    && (port == 0 || port == s.selector().dstPort())) {
                boolean failOpen = ncp.getStatus(s.name()).map(st -> st.redirectState()
                        == ReplicationStatus.RedirectState.FAIL_OPEN).orElse(false);
                return failOpen ? s.name() + " (FAIL_OPEN)" : s.name();
            }
        }
        return "";
    }

    private static final class Builder {
        final Host src;
        final Host dst;
        final int port;
        final Set<String> devices = new TreeSet<>();
        long packets;
        long bytes;

        Builder(Host src, Host dst, int port) {
            this.src = src;
            this.dst = dst;
            this.port = port;
        }

        HostFlow build(String replication) {
            return new HostFlow(src.id().toString(), ip(src), dst.id().toString(), ip(dst), port, devices,
                    packets, bytes, replication);
        }
    }
}
