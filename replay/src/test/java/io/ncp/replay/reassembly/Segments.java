package io.ncp.replay.reassembly;

import io.ncp.replay.decode.TcpPacket;

/** Builds decoded TCP segments of one IPv4 flow (client 10.0.0.1:40000, server 10.0.0.2:6379) for tests. */
final class Segments {

    static final int CLIENT_PORT = 40000;
    static final int SERVER_PORT = 6379;

    private Segments() {
    }

    /** A client-to-server segment. */
    static TcpPacket c2s(long ts, int seq, int flags, byte[] data, int off, int len) {
        return packet(ts, true, seq, 0, flags, data, off, len);
    }

    /** A server-to-client segment. */
    static TcpPacket s2c(long ts, int seq, int flags, byte[] data, int off, int len) {
        return packet(ts, false, seq, 0, flags, data, off, len);
    }

    static TcpPacket packet(long ts, boolean fromClient, int seq, int ack, int flags, byte[] data, int off, int len) {
        TcpPacket p = new TcpPacket();
        p.timestampNanos = ts;
        p.ipVersion = 4;
        byte[] c = {10, 0, 0, 1};
        byte[] s = {10, 0, 0, 2};
        System.arraycopy(fromClient ? c : s, 0, p.srcAddr, 0, 4);
        System.arraycopy(fromClient ? s : c, 0, p.dstAddr, 0, 4);
        p.srcPort = fromClient ? CLIENT_PORT : SERVER_PORT;
        p.dstPort = fromClient ? SERVER_PORT : CLIENT_PORT;
        p.seq = seq;
        p.ack = ack;
        p.flags = flags;
        p.frame = data == null ? new byte[0] : data;
        p.payloadOffset = off;
        p.payloadLength = len;
        p.declaredPayloadLength = len;
        return p;
    }
}
