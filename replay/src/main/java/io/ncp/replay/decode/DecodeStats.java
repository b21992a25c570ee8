package io.ncp.replay.decode;

/**
 * Counters of a {@link PacketDecoder}: what was decoded and why the rest was not. Written by the decoding
 * thread only; other threads may read them (plain longs: a reader may see slightly stale values).
 */
public final class DecodeStats {

    /** Packets offered to the decoder. */
    public long packets;
    /** Captured bytes offered. */
    public long bytes;
    /** TCP segments decoded. */
    public long tcp;
    /** Link-layer payloads that are not IPv4/IPv6 (ARP, LLDP, ...). */
    public long nonIp;
    /** IP packets that are not TCP (UDP, ICMP, ...). */
    public long nonTcp;
    /** IP fragments (not reassembled; TCP over fragmented IP is not supported). */
    public long ipFragments;
    /** Packets too short or with inconsistent header fields for their link, IP or TCP layer. */
    public long malformed;
    /** TCP segments whose payload the snap length cut (the missing bytes become reassembly gaps). */
    public long truncated;

    public void addTo(DecodeStats other) {
        other.packets += packets;
        other.bytes += bytes;
        other.tcp += tcp;
        other.nonIp += nonIp;
        other.nonTcp += nonTcp;
        other.ipFragments += ipFragments;
        other.malformed += malformed;
        other.truncated += truncated;
    }

    @Override
    public String toString() {
        return "packets=" + packets + " bytes=" + bytes + " tcp=" + tcp + " nonIp=" + nonIp + " nonTcp=" + nonTcp
            + " ipFragments=" + ipFragments + " malformed=" + malformed + " truncated=" + truncated;
    }
}
