package io.ncp.replay.decode;

/**
 * One decoded TCP segment, a mutable holder that {@link PacketDecoder} refills for every packet
 * (no allocation per packet). The payload is not copied: it is {@code frame[payloadOffset ..
 * payloadOffset + payloadLength)}, valid only until the capture source reuses {@code frame}.
 *
 * <p>Owned by the decoding thread; consumers that keep anything must copy it.
 */
public final class TcpPacket {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    /** Capture timestamp, nanoseconds since the epoch. */
    public long timestampNanos;
    /** 4 or 6. */
    public int ipVersion;
    /** Source address bytes; the first 4 (IPv4) or 16 (IPv6) are valid. */
    public final byte[] srcAddr = new byte[16];
    /** Destination address bytes; the first 4 (IPv4) or 16 (IPv6) are valid. */
    public final byte[] dstAddr = new byte[16];
    public int srcPort;
    public int dstPort;
    /** Sequence number (32-bit, wraps). */
    public int seq;
    /** Acknowledgement number; meaningful only when {@link #ACK} is set. */
    public int ack;
    /** TCP flag bits (FIN, SYN, RST, PSH, ACK, ...). */
    public int flags;
    /** The captured frame the payload lives in. */
    public byte[] frame;
    public int payloadOffset;
    /** Payload bytes present in {@link #frame}. */
    public int payloadLength;
    /**
     * Payload bytes the IP header declares; larger than {@link #payloadLength} when the capture's snap
     * length cut the packet (the missing bytes become a gap in reassembly).
     */
    public int declaredPayloadLength;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Address length in bytes: 4 or 16. */
    public int addrLength() {
        return ipVersion == 4 ? 4 : 16;
    }

    @Override
    public String toString() {
        return "TcpPacket[" + srcPort + "->" + dstPort + " seq=" + Integer.toUnsignedString(seq) + " ack="
            + Integer.toUnsignedString(ack) + " flags=0x" + Integer.toHexString(flags) + " len=" + payloadLength
            + "/" + declaredPayloadLength + "]";
    }
}
