package io.ncp.onos.planner;

import java.util.Objects;

/** A directed link: packets leave switch {@code src} on {@code srcPort} and enter {@code dst} on {@code dstPort}. */
public final class Link {

    private final String src;
    private final int srcPort;
    private final String dst;
    private final int dstPort;

    /** A directed link between two switch ports. */
    public Link(String src, int srcPort, String dst, int dstPort) {
        this.src = Objects.requireNonNull(src, "src");
        this.srcPort = srcPort;
        this.dst = Objects.requireNonNull(dst, "dst");
        this.dstPort = dstPort;
    }

    /** Source switch name. */
    public String src() {
        return src;
    }

    /** Output port on the source switch. */
    public int srcPort() {
        return srcPort;
    }

    /** Destination switch name. */
    public String dst() {
        return dst;
    }

    /** Input port on the destination switch. */
    public int dstPort() {
        return dstPort;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Link)) {
            return false;
        }
        Link l = (Link) o;
        return src.equals(l.src) && srcPort == l.srcPort && dst.equals(l.dst) && dstPort == l.dstPort;
    }

    @Override
    public int hashCode() {
        return Objects.hash(src, srcPort, dst, dstPort);
    }

    @Override
    public String toString() {
        return src + ":" + srcPort + "->" + dst + ":" + dstPort;
    }
}
