package io.ncp.onos.planner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The planner's view of the network: switches, directed links between switch ports, and hosts attached at
 * (switch, port). Immutable once built; build with {@link #builder()}, whose methods throw
 * IllegalArgumentException naming the switch, port or host on any inconsistency.
 */
public final class NetworkGraph {

    private static final Comparator<Link> LINK_ORDER = Comparator.comparing(Link::srcPort)
            .thenComparing(Link::dst, SwitchNames.ORDER).thenComparing(Link::dstPort);

    private final Map<String, SwitchNode> switches;
    private final Map<String, List<Link>> linksFrom;
    private final Map<String, HostNode> hosts;
    private final Map<Ipv4, HostNode> hostsByIp;

    private NetworkGraph(Builder b) {
        this.switches = Collections.unmodifiableMap(new TreeMap<>(b.switches));
        Map<String, List<Link>> from = new TreeMap<>(SwitchNames.ORDER);
        for (String s : switches.keySet()) {
            from.put(s, new ArrayList<>());
        }
        for (Link l : b.links) {
            from.get(l.src()).add(l);
        }
        from.values().forEach(list -> list.sort(LINK_ORDER));
        from.replaceAll((k, v) -> List.copyOf(v));
        this.linksFrom = Collections.unmodifiableMap(from);
        Map<String, HostNode> byName = new TreeMap<>(SwitchNames.ORDER);
        byName.putAll(b.hosts);
        this.hosts = Collections.unmodifiableMap(byName);
        Map<Ipv4, HostNode> byIp = new HashMap<>();
        for (HostNode h : hosts.values()) {
            h.ips().forEach(ip -> byIp.put(ip, h));
        }
        this.hostsByIp = Collections.unmodifiableMap(byIp);
    }

    /** A builder for a graph. */
    public static Builder builder() {
        return new Builder();
    }

    /** All switches, by name in {@link SwitchNames#ORDER}. */
    public Collection<SwitchNode> switches() {
        return switches.values();
    }

    /** The switch with this name, if any. */
    public Optional<SwitchNode> switchNode(String name) {
        return Optional.ofNullable(switches.get(name));
    }

    /** Links leaving {@code switchName}, ordered by port; empty for an unknown switch. */
    public List<Link> linksFrom(String switchName) {
        return linksFrom.getOrDefault(switchName, List.of());
    }

    /** All directed links. */
    public List<Link> links() {
        List<Link> all = new ArrayList<>();
        linksFrom.values().forEach(all::addAll);
        return all;
    }

    /** All hosts, by name in {@link SwitchNames#ORDER}. */
    public Collection<HostNode> hosts() {
        return hosts.values();
    }

    /** The host owning this address, if any. */
    public Optional<HostNode> hostByIp(Ipv4 ip) {
        return Optional.ofNullable(hostsByIp.get(ip));
    }

    /** Builds a {@link NetworkGraph}; not thread-safe. */
    public static final class Builder {

        private final Map<String, SwitchNode> switches = new LinkedHashMap<>();
        private final List<Link> links = new ArrayList<>();
        private final Map<String, HostNode> hosts = new LinkedHashMap<>();
        private final Map<Ipv4, String> ipOwners = new HashMap<>();
        /** (switch, port) → what is plugged there, to reject a port used twice. */
        private final Map<String, String> portUse = new HashMap<>();

        private Builder() {
        }

        /** Adds a switch; {@code dpid} may be null. */
        public Builder addSwitch(String name, String dpid) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("switch name is empty");
            }
            if (switches.putIfAbsent(name, new SwitchNode(name, dpid)) != null) {
                throw new IllegalArgumentException("duplicate switch '" + name + "'");
            }
            return this;
        }

        /** Adds a cable: the links {@code a:aPort->b:bPort} and {@code b:bPort->a:aPort}. */
        public Builder addLink(String a, long aPort, String b, long bPort) {
            addDirectedLink(a, aPort, b, bPort);
            return addDirectedLink(b, bPort, a, aPort);
        }

        /** Adds one direction of a link (ONOS reports each direction separately). */
        public Builder addDirectedLink(String src, long srcPort, String dst, long dstPort) {
            requireSwitch(src, "link source");
            requireSwitch(dst, "link destination");
            if (src.equals(dst)) {
                throw new IllegalArgumentException("link " + src + " -> " + dst + " loops on one switch");
            }
            int sp = port(srcPort, src);
            int dp = port(dstPort, dst);
            checkPort(src, sp, "link to " + dst + ":" + dp);
            checkPort(dst, dp, "link to " + src + ":" + sp);
            usePort(src, sp, "link to " + dst + ":" + dp);
            usePort(dst, dp, "link to " + src + ":" + sp);
            Link link = new Link(src, sp, dst, dp);
            if (!links.contains(link)) {
                links.add(link);
            }
            return this;
        }

        /** Adds a host NIC with one or more addresses at {@code switchName:port}. */
        public Builder addHost(String name, List<Ipv4> ips, Mac mac, String switchName, long port) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("host name is empty");
            }
            if (hosts.containsKey(name)) {
                throw new IllegalArgumentException("duplicate host '" + name + "'");
            }
            requireSwitch(switchName, "host " + name + " attachment");
            int p = port(port, switchName);
            HostNode host = new HostNode(name, ips, mac, switchName, p);
            for (Ipv4 ip : host.ips()) {
                String owner = ipOwners.get(ip);
                if (owner != null) {
                    throw new IllegalArgumentException("IP " + ip + " of host " + name + " already belongs to host "
                            + owner);
                }
            }
            checkPort(switchName, p, "host " + name);
            usePort(switchName, p, "host " + name);
            host.ips().forEach(ip -> ipOwners.put(ip, name));
            hosts.put(name, host);
            return this;
        }

        private void requireSwitch(String name, String what) {
            if (name == null || !switches.containsKey(name)) {
                throw new IllegalArgumentException(what + ": unknown switch '" + name + "'");
            }
        }

        private static int port(long port, String switchName) {
            try {
                return Ports.requireSwitchPort(port);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("switch " + switchName + ": " + e.getMessage(), e);
            }
        }

        /** Throws when the port already has another use; records nothing (builder state stays consistent). */
        private void checkPort(String switchName, int port, String use) {
            String key = switchName + ":" + port;
            String previous = portUse.get(key);
            if (previous != null && !(previous.startsWith("link to ") && previous.equals(use))) {
                throw new IllegalArgumentException("port " + key + " used twice: " + previous + " and " + use);
            }
        }

        private void usePort(String switchName, int port, String use) {
            portUse.put(switchName + ":" + port, use);
        }

        /** The graph. */
        public NetworkGraph build() {
            return new NetworkGraph(this);
        }
    }
}
