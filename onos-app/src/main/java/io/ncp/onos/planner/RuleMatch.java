package io.ncp.onos.planner;

import java.util.Objects;

/**
 * The match of a planned rule: always IPv4 ({@code eth_type 0x0800}) + TCP ({@code ip_proto 6}) + an input port,
 * source and destination prefixes, and optional TCP ports (0 = not matched). Immutable.
 */
public final class RuleMatch {

    /** IPv4 ethertype. */
    public static final int ETH_TYPE_IPV4 = 0x0800;
    /** TCP IP protocol number. */
    public static final int IP_PROTO_TCP = 6;

    private final int inPort;
    private final Ipv4Prefix nwSrc;
    private final int tpSrc;
    private final Ipv4Prefix nwDst;
    private final int tpDst;

    /**
     * @param inPort input port
     * @param nwSrc  IPv4 source prefix
     * @param tpSrc  TCP source port or 0
     * @param nwDst  IPv4 destination prefix
     * @param tpDst  TCP destination port or 0
     */
    public RuleMatch(int inPort, Ipv4Prefix nwSrc, int tpSrc, Ipv4Prefix nwDst, int tpDst) {
        this.inPort = inPort;
        this.nwSrc = Objects.requireNonNull(nwSrc, "nwSrc");
        this.tpSrc = tpSrc;
        this.nwDst = Objects.requireNonNull(nwDst, "nwDst");
        this.tpDst = tpDst;
    }

    /** The same match on another input port. */
    public RuleMatch withInPort(int port) {
        return new RuleMatch(port, nwSrc, tpSrc, nwDst, tpDst);
    }

    /** Input port. */
    public int inPort() {
        return inPort;
    }

    /** Source prefix. */
    public Ipv4Prefix nwSrc() {
        return nwSrc;
    }

    /** TCP source port, 0 = any. */
    public int tpSrc() {
        return tpSrc;
    }

    /** Destination prefix. */
    public Ipv4Prefix nwDst() {
        return nwDst;
    }

    /** TCP destination port, 0 = any. */
    public int tpDst() {
        return tpDst;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleMatch)) {
            return false;
        }
        RuleMatch m = (RuleMatch) o;
        return inPort == m.inPort && nwSrc.equals(m.nwSrc) && tpSrc == m.tpSrc && nwDst.equals(m.nwDst)
                && tpDst == m.tpDst;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inPort, nwSrc, tpSrc, nwDst, tpDst);
    }

    @Override
    public String toString() {
        return "in_port=" + inPort + ",tcp," + nwSrc.toShortString() + (tpSrc == 0 ? "" : ":" + tpSrc) + "->"
                + nwDst.toShortString() + (tpDst == 0 ? "" : ":" + tpDst);
    }
}
