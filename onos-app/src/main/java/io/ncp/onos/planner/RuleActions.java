package io.ncp.onos.planner;

import java.util.Objects;

/**
 * The actions of a planned rule, applied in this order: set eth_dst, set ip_dst, set tcp_dst, set ip_src,
 * set tcp_src (each optional: null / 0 = unchanged), then output to one port. Immutable; build with
 * {@link #output(int)} and the {@code with*} methods.
 */
public final class RuleActions {

    private final Mac setEthDst;
    private final Ipv4 setIpDst;
    private final int setTcpDst;
    private final Ipv4 setIpSrc;
    private final int setTcpSrc;
    private final int output;

    private RuleActions(Mac setEthDst, Ipv4 setIpDst, int setTcpDst, Ipv4 setIpSrc, int setTcpSrc, int output) {
        this.setEthDst = setEthDst;
        this.setIpDst = setIpDst;
        this.setTcpDst = setTcpDst;
        this.setIpSrc = setIpSrc;
        this.setTcpSrc = setTcpSrc;
        this.output = output;
    }

    /** Just output to {@code port}. */
    public static RuleActions output(int port) {
        return new RuleActions(null, null, 0, null, 0, port);
    }

    /** These actions plus setting the destination MAC. */
    public RuleActions withEthDst(Mac mac) {
        return new RuleActions(mac, setIpDst, setTcpDst, setIpSrc, setTcpSrc, output);
    }

    /** These actions plus rewriting the destination to {@code ip:port}. */
    public RuleActions withDst(Ipv4 ip, int port) {
        return new RuleActions(setEthDst, ip, port, setIpSrc, setTcpSrc, output);
    }

    /** These actions plus rewriting the source to {@code ip:port}. */
    public RuleActions withSrc(Ipv4 ip, int port) {
        return new RuleActions(setEthDst, setIpDst, setTcpDst, ip, port, output);
    }

    /** New destination MAC, or null. */
    public Mac setEthDst() {
        return setEthDst;
    }

    /** New destination IP, or null. */
    public Ipv4 setIpDst() {
        return setIpDst;
    }

    /** New TCP destination port, or 0. */
    public int setTcpDst() {
        return setTcpDst;
    }

    /** New source IP, or null. */
    public Ipv4 setIpSrc() {
        return setIpSrc;
    }

    /** New TCP source port, or 0. */
    public int setTcpSrc() {
        return setTcpSrc;
    }

    /** Output port. */
    public int output() {
        return output;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleActions)) {
            return false;
        }
        RuleActions a = (RuleActions) o;
        return Objects.equals(setEthDst, a.setEthDst) && Objects.equals(setIpDst, a.setIpDst)
                && setTcpDst == a.setTcpDst && Objects.equals(setIpSrc, a.setIpSrc) && setTcpSrc == a.setTcpSrc
                && output == a.output;
    }

    @Override
    public int hashCode() {
        return Objects.hash(setEthDst, setIpDst, setTcpDst, setIpSrc, setTcpSrc, output);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (setEthDst != null) {
            sb.append("eth_dst=").append(setEthDst).append(',');
        }
        if (setIpDst != null) {
            sb.append("ip_dst=").append(setIpDst).append(',');
        }
        if (setTcpDst != 0) {
            sb.append("tcp_dst=").append(setTcpDst).append(',');
        }
        if (setIpSrc != null) {
            sb.append("ip_src=").append(setIpSrc).append(',');
        }
        if (setTcpSrc != 0) {
            sb.append("tcp_src=").append(setTcpSrc).append(',');
        }
        return sb.append("output:").append(output).toString();
    }
}
