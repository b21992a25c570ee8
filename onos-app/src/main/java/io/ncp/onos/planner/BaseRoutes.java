package io.ncp.onos.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plain destination forwarding for a testbed without a controller: for every host H and every switch S with a
 * path to H, "packets for H leave S on port p" along the same {@link RoutingTree}s the planner uses. Rendered as
 * {@code ip,nw_dst=H} and {@code arp,arp_tpa=H} flows (ARP requests are routed to their target, so a topology with
 * loops needs no flooding). Not used by the ONOS app (ONOS forwards ordinary traffic itself). Stateless.
 */
public final class BaseRoutes {

    private BaseRoutes() {
    }

    /** The base routes of {@code graph}, host by host, switches in name order. */
    public static List<BaseRoute> of(NetworkGraph graph) {
        List<BaseRoute> routes = new ArrayList<>();
        for (HostNode host : graph.hosts()) {
            RoutingTree tree = RoutingTree.toward(graph, host.switchName());
            for (SwitchNode s : graph.switches()) {
                if (s.name().equals(host.switchName())) {
                    routes.add(new BaseRoute(s.name(), host, host.port()));
                } else {
                    tree.nextHop(s.name()).ifPresent(l -> routes.add(new BaseRoute(s.name(), host, l.srcPort())));
                }
            }
        }
        return routes;
    }

    /** "Packets for {@code host} leave {@code switchName} on {@code outPort}". Immutable. */
    public static final class BaseRoute {

        private final String switchName;
        private final HostNode host;
        private final int outPort;

        BaseRoute(String switchName, HostNode host, int outPort) {
            this.switchName = switchName;
            this.host = host;
            this.outPort = outPort;
        }

        /** The switch. */
        public String switchName() {
            return switchName;
        }

        /** The destination host. */
        public HostNode host() {
            return host;
        }

        /** The output port toward the host. */
        public int outPort() {
            return outPort;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BaseRoute && ((BaseRoute) o).switchName.equals(switchName)
                    && ((BaseRoute) o).host.equals(host) && ((BaseRoute) o).outPort == outPort;
        }

        @Override
        public int hashCode() {
            return Objects.hash(switchName, host, outPort);
        }

        @Override
        public String toString() {
            return switchName + ": " + host.ip() + " -> " + outPort;
        }
    }
}
