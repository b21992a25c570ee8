package io.ncp.onos.gui;

import java.util.Objects;
import java.util.Set;

/**
 * One host-to-host flow as the GUI lists it: source and destination hosts, the TCP destination port when the flow
 * rules match one (0 otherwise), the devices whose flow tables carry it, and its traffic (the largest counters seen
 * on one device, since every device on the path counts the same packets). Immutable.
 */
public final class HostFlow {

    private final String srcHost;
    private final String srcIp;
    private final String dstHost;
    private final String dstIp;
    private final int dstPort;
    private final Set<String> devices;
    private final long packets;
    private final long bytes;
    private final String replication;

    HostFlow(String srcHost, String srcIp, String dstHost, String dstIp, int dstPort, Set<String> devices,
             long packets, long bytes, String replication) {
        this.srcHost = srcHost;
        this.srcIp = srcIp;
        this.dstHost = dstHost;
        this.dstIp = dstIp;
        this.dstPort = dstPort;
        this.devices = Set.copyOf(devices);
        this.packets = packets;
        this.bytes = bytes;
        this.replication = replication;
    }

    /** Row id: {@code srcIp>dstIp:port}. */
    public String id() {
        return srcIp + ">" + dstIp + (dstPort == 0 ? "" : ":" + dstPort);
    }

    /** Source host id. */
    public String srcHost() {
        return srcHost;
    }

    /** Source IPv4 address ("" when only MACs are matched and the host has none). */
    public String srcIp() {
        return srcIp;
    }

    /** Destination host id. */
    public String dstHost() {
        return dstHost;
    }

    /** Destination IPv4 address. */
    public String dstIp() {
        return dstIp;
    }

    /** TCP destination port, 0 when the rules do not match one. */
    public int dstPort() {
        return dstPort;
    }

    /** Devices carrying it. */
    public Set<String> devices() {
        return devices;
    }

    /** Packets (largest per-device count). */
    public long packets() {
        return packets;
    }

    /** Bytes (largest per-device count). */
    public long bytes() {
        return bytes;
    }

    /** Name of the NCP spec that replicates it, or "". */
    public String replication() {
        return replication;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostFlow)) {
            return false;
        }
        HostFlow f = (HostFlow) o;
        return id().equals(f.id()) && srcHost.equals(f.srcHost) && dstHost.equals(f.dstHost)
                && devices.equals(f.devices) && packets == f.packets && bytes == f.bytes
                && replication.equals(f.replication);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id(), devices, packets, bytes);
    }

    @Override
    public String toString() {
        return id() + " " + srcHost + "->" + dstHost + " on " + devices + " " + packets + "p " + bytes + "B"
                + (replication.isEmpty() ? "" : " [" + replication + "]");
    }
}
