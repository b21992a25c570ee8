package io.ncp.replay.decode;

import java.nio.ByteBuffer;

/** Hand-built frames for decoder tests: TCP over IPv4/IPv6 under the link layers NCP supports. */
final class Frames {

    private Frames() {
    }

    static byte[] tcp(int srcPort, int dstPort, int seq, int ack, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + 12 + payload.length); // with 12 bytes of options
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack);
        b.put((byte) (8 << 4)).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2});
        b.put(payload);
        return b.array();
    }

    static byte[] ipv4(byte[] src, byte[] dst, int protocol, int fragmentField, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(24 + l4.length); // IHL 6: one option word
        b.put((byte) 0x46).put((byte) 0).putShort((short) (24 + l4.length)).putShort((short) 1)
            .putShort((short) fragmentField).put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.put(src).put(dst).putInt(0x01010101).put(l4);
        return b.array();
    }

    /** IPv6 with a hop-by-hop and a destination-options extension header before TCP. */
    static byte[] ipv6(byte[] src, byte[] dst, byte[] tcp) {
        ByteBuffer b = ByteBuffer.allocate(40 + 16 + tcp.length);
        b.putInt(0x60000000).putShort((short) (16 + tcp.length)).put((byte) 0).put((byte) 64);
        b.put(src).put(dst);
        b.put((byte) 60).put((byte) 0).put(new byte[6]);  // hop-by-hop → destination options
        b.put((byte) 6).put((byte) 0).put(new byte[6]);   // destination options → TCP
        b.put(tcp);
        return b.array();
    }

    static byte[] ethernet(int etherType, byte[] l3, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + l3.length + 10); // + Ethernet padding
        b.put(new byte[12]);
        for (int vlan : vlans) {
            b.putShort((short) 0x8100).putShort((short) vlan);
        }
        b.putShort((short) etherType).put(l3);
        return b.array();
    }

    static byte[] sll(int etherType, byte[] l3) {
        ByteBuffer b = ByteBuffer.allocate(16 + l3.length);
        b.putShort((short) 0).putShort((short) 772).putShort((short) 6).put(new byte[8]).putShort((short) etherType);
        return b.put(l3).array();
    }

    static byte[] sll2(int etherType, byte[] l3) {
        ByteBuffer b = ByteBuffer.allocate(20 + l3.length);
        b.putShort((short) etherType).putShort((short) 0).putInt(1).putShort((short) 772).put((byte) 0)
            .put((byte) 6).put(new byte[8]);
        return b.put(l3).array();
    }

    static byte[] bsdLoopback(int family, boolean littleEndian, byte[] l3) {
        ByteBuffer b = ByteBuffer.allocate(4 + l3.length);
        b.putInt(littleEndian ? Integer.reverseBytes(family) : family);
        return b.put(l3).array();
    }
}
