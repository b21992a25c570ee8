package io.ncp.onos.planner;

import java.util.Objects;

/**
 * Which client→primary TCP sessions are replicated: clients {@code src} (an address or prefix), optionally only
 * from client port {@code srcPort}, to the primary {@code dst:dstPort}. Immutable; validated on construction.
 */
public final class FlowSelector {

    /** The only protocol NCP replicates. */
    public static final String TCP = "tcp";

    private final Ipv4Prefix src;
    private final int srcPort;
    private final Ipv4 dst;
    private final int dstPort;

    /**
     * @param src     client address or prefix
     * @param srcPort client port, or 0 for any
     * @param dst     primary address
     * @param dstPort primary port
     * @throws SpecException naming {@code selector.*} when a value is missing or out of range
     */
    public FlowSelector(Ipv4Prefix src, int srcPort, Ipv4 dst, int dstPort) {
        if (src == null) {
            throw new SpecException("selector.src", "missing (client IP or prefix)");
        }
        if (dst == null) {
            throw new SpecException("selector.dst", "missing (primary IP)");
        }
        if (srcPort < 0 || srcPort > 65535) {
            throw new SpecException("selector.srcPort", "must be 0 (any) or 1..65535, got " + srcPort);
        }
        if (dstPort < 1 || dstPort > 65535) {
            throw new SpecException("selector.dstPort", "must be 1..65535, got " + dstPort);
        }
        if (src.contains(dst) && src.length() == 32) {
            throw new SpecException("selector.src", "is the primary " + dst + " itself");
        }
        this.src = src;
        this.srcPort = srcPort;
        this.dst = dst;
        this.dstPort = dstPort;
    }

    /** Client address or prefix. */
    public Ipv4Prefix src() {
        return src;
    }

    /** Client port, 0 = any. */
    public int srcPort() {
        return srcPort;
    }

    /** Primary address. */
    public Ipv4 dst() {
        return dst;
    }

    /** Primary port. */
    public int dstPort() {
        return dstPort;
    }

    /**
     * True when both selectors can select the same session: same primary, client prefixes that intersect, and
     * client ports that are equal or "any" on either side.
     */
    public boolean overlaps(FlowSelector other) {
        boolean clients = src.contains(other.src.address()) || other.src.contains(src.address());
        boolean ports = srcPort == 0 || other.srcPort == 0 || srcPort == other.srcPort;
        return clients && ports && dst.equals(other.dst) && dstPort == other.dstPort;
    }

    /** The primary as {@code ip:port}. */
    public HostPort primary() {
        return new HostPort(dst, dstPort);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowSelector)) {
            return false;
        }
        FlowSelector s = (FlowSelector) o;
        return src.equals(s.src) && srcPort == s.srcPort && dst.equals(s.dst) && dstPort == s.dstPort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(src, srcPort, dst, dstPort);
    }

    @Override
    public String toString() {
        return TCP + " " + src + (srcPort == 0 ? "" : ":" + srcPort) + " -> " + dst + ":" + dstPort;
    }
}
