package io.ncp.onos.planner;

import java.util.List;
import java.util.Objects;

/** A host NIC of the {@link NetworkGraph}: name, addresses, MAC and attachment point. Immutable. */
public final class HostNode {

    private final String name;
    private final List<Ipv4> ips;
    private final Mac mac;
    private final String switchName;
    private final int port;

    /**
     * @param name       unique host name
     * @param ips        one or more addresses (the first is the host's main address)
     * @param mac        the NIC's MAC
     * @param switchName switch the NIC is attached to
     * @param port       switch port it is attached to
     */
    public HostNode(String name, List<Ipv4> ips, Mac mac, String switchName, int port) {
        this.name = Objects.requireNonNull(name, "name");
        if (ips == null || ips.isEmpty()) {
            throw new IllegalArgumentException("host " + name + " has no IP address");
        }
        this.ips = List.copyOf(ips);
        this.mac = Objects.requireNonNull(mac, "mac");
        this.switchName = Objects.requireNonNull(switchName, "switchName");
        this.port = port;
    }

    /** Unique name. */
    public String name() {
        return name;
    }

    /** The main address. */
    public Ipv4 ip() {
        return ips.get(0);
    }

    /** All addresses. */
    public List<Ipv4> ips() {
        return ips;
    }

    /** MAC address. */
    public Mac mac() {
        return mac;
    }

    /** Attachment switch. */
    public String switchName() {
        return switchName;
    }

    /** Attachment port. */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostNode)) {
            return false;
        }
        HostNode h = (HostNode) o;
        return name.equals(h.name) && ips.equals(h.ips) && mac.equals(h.mac) && switchName.equals(h.switchName)
                && port == h.port;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + ips + " @" + switchName + ":" + port;
    }
}
