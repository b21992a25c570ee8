package io.ncp.onos.impl;

import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.Mac;
import io.ncp.onos.planner.NetworkGraph;
import org.onlab.packet.IpAddress;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Host;
import org.onosproject.net.HostLocation;
import org.onosproject.net.host.HostService;
import org.onosproject.net.topology.Topology;
import org.onosproject.net.topology.TopologyEdge;
import org.onosproject.net.topology.TopologyGraph;
import org.onosproject.net.topology.TopologyService;
import org.onosproject.net.topology.TopologyVertex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Snapshots ONOS's current topology and hosts as the planner's {@link NetworkGraph}: a switch per device (named by
 * its DeviceId string, dpid from {@code of:} ids), a directed link per infrastructure link, a host per ONOS host
 * that has an IPv4 address and a location on a known device (named by its HostId). Elements the planner cannot
 * use (a logical port, a port already taken) are skipped with a warning rather than failing the whole snapshot.
 * Stateless; called on the NCP planner thread and on preview callers' threads.
 */
public final class OnosGraphBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(OnosGraphBuilder.class);

    private OnosGraphBuilder() {
    }

    /** The current network as a planner graph. */
    public static NetworkGraph snapshot(TopologyService topologyService, HostService hostService) {
        NetworkGraph.Builder b = NetworkGraph.builder();
        Topology topology = topologyService.currentTopology();
        TopologyGraph graph = topologyService.getGraph(topology);
        for (TopologyVertex v : graph.getVertexes()) {
            b.addSwitch(v.deviceId().toString(), dpid(v.deviceId()));
        }
        for (TopologyEdge e : graph.getEdges()) {
            ConnectPoint src = e.link().src();
            ConnectPoint dst = e.link().dst();
            try {
                b.addDirectedLink(src.deviceId().toString(), src.port().toLong(), dst.deviceId().toString(),
                        dst.port().toLong());
            } catch (IllegalArgumentException ex) {
                LOG.warn("NCP ignores link {}: {}", e.link(), ex.getMessage());
            }
        }
        for (Host host : hostService.getHosts()) {
            List<Ipv4> ips = host.ipAddresses().stream().filter(IpAddress::isIp4).sorted()
                    .map(ip -> Ipv4.parse(ip.toString())).collect(Collectors.toList());
            HostLocation at = host.location();
            if (ips.isEmpty() || at == null) {
                continue;
            }
            try {
                b.addHost(host.id().toString(), ips, Mac.parse(host.mac().toString()), at.deviceId().toString(),
                        at.port().toLong());
            } catch (IllegalArgumentException ex) {
                LOG.warn("NCP ignores host {}: {}", host.id(), ex.getMessage());
            }
        }
        return b.build();
    }

    /** The hex datapath id of an OpenFlow device ({@code of:0000000000000001}), else null. */
    static String dpid(DeviceId id) {
        String s = id.toString();
        return s.startsWith("of:") && s.substring(3).matches("[0-9a-fA-F]{1,16}") ? s.substring(3) : null;
    }
}
