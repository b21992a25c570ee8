package io.ncp.replay.reassembly;

import io.ncp.replay.decode.TcpPacket;

/**
 * Direction-independent identity of a TCP flow: both endpoints as (address high, address low, port),
 * the smaller endpoint first. IPv4 addresses are stored IPv4-mapped. Immutable once in a map; the
 * reassembler reuses one instance as a lookup probe.
 */
final class FlowKey {

    private long aHi;
    private long aLo;
    private int aPort;
    private long bHi;
    private long bLo;
    private int bPort;
    private int hash;

    /** Sets this key from a packet; returns true when the packet's source is endpoint "a". */
    boolean set(TcpPacket p) {
        long sHi = hi(p.srcAddr, p.ipVersion);
        long sLo = lo(p.srcAddr, p.ipVersion);
        long dHi = hi(p.dstAddr, p.ipVersion);
        long dLo = lo(p.dstAddr, p.ipVersion);
        int c = Long.compare(sHi, dHi);
        if (c == 0) {
            c = Long.compare(sLo, dLo);
        }
        if (c == 0) {
            c = Integer.compare(p.srcPort, p.dstPort);
        }
        boolean srcFirst = c <= 0;
        if (srcFirst) {
            assign(sHi, sLo, p.srcPort, dHi, dLo, p.dstPort);
        } else {
            assign(dHi, dLo, p.dstPort, sHi, sLo, p.srcPort);
        }
        return srcFirst;
    }

    FlowKey copy() {
        FlowKey k = new FlowKey();
        k.assign(aHi, aLo, aPort, bHi, bLo, bPort);
        return k;
    }

    private void assign(long ah, long al, int ap, long bh, long bl, int bp) {
        aHi = ah;
        aLo = al;
        aPort = ap;
        bHi = bh;
        bLo = bl;
        bPort = bp;
        long h = ah * 31 + al;
        h = h * 31 + bh;
        h = h * 31 + bl;
        h = h * 31 + ((long) ap << 16 | bp);
        hash = (int) (h ^ (h >>> 32));
    }

    private static long hi(byte[] a, int version) {
        return version == 4 ? 0 : readLong(a, 0);
    }

    private static long lo(byte[] a, int version) {
        if (version == 4) {
            return 0xFFFF_0000_0000L | ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8)
                | (a[3] & 0xFF);
        }
        return readLong(a, 8);
    }

    private static long readLong(byte[] a, int i) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (a[i + k] & 0xFF);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowKey)) {
            return false;
        }
        FlowKey k = (FlowKey) o;
        return aHi == k.aHi && aLo == k.aLo && aPort == k.aPort && bHi == k.bHi && bLo == k.bLo && bPort == k.bPort;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
