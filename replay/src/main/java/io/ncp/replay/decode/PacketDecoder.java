package io.ncp.replay.decode;

/**
 * Decodes a captured frame into a {@link TcpPacket} straight from its bytes: link layer ({@link LinkType}),
 * IPv4 (options, fragments detected) or IPv6 (extension headers skipped), then TCP. Lengths are bounded by
 * the IP header, so Ethernet padding never becomes payload. Checksums are not verified (checksum offload
 * makes them meaningless in local captures).
 *
 * <p>Not thread-safe: one decoder (and its {@link DecodeStats}) per capture thread.
 */
public final class PacketDecoder {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int PROTO_TCP = 6;

    private final DecodeStats stats = new DecodeStats();

    public DecodeStats stats() {
        return stats;
    }

    /**
     * Decodes {@code frame[offset .. offset + length)}, a frame of {@code linkType} captured at
     * {@code timestampNanos}, into {@code out}.
     *
     * @return true when {@code out} now holds a TCP segment; false (and a counter bumped) otherwise
     */
    public boolean decode(LinkType linkType, byte[] frame, int offset, int length, long timestampNanos,
            TcpPacket out) {
        stats.packets++;
        stats.bytes += length;
        int end = offset + length;
        int ip;
        int etherType;
        switch (linkType) {
            case ETHERNET: {
                if (length < 14) {
                    return malformed();
                }
                int p = offset + 12;
                etherType = u16(frame, p);
                p += 2;
                while (etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100) {
                    if (p + 4 > end) {
                        return malformed();
                    }
                    etherType = u16(frame, p + 2);
                    p += 4;
                }
                ip = p;
                break;
            }
            case LINUX_SLL:
                if (length < 16) {
                    return malformed();
                }
                etherType = u16(frame, offset + 14);
                ip = offset + 16;
                break;
            case LINUX_SLL2:
                if (length < 20) {
                    return malformed();
                }
                etherType = u16(frame, offset);
                ip = offset + 20;
                break;
            case NULL:
            case LOOP: {
                if (length < 4) {
                    return malformed();
                }
                int be = (int) u32(frame, offset);
                int family = linkType == LinkType.LOOP ? be : (be & 0xFFFF0000) != 0 ? Integer.reverseBytes(be) : be;
                etherType = family == 2 ? ETHERTYPE_IPV4 : family == 24 || family == 28 || family == 30
                    ? ETHERTYPE_IPV6 : -1;
                ip = offset + 4;
                break;
            }
            case IPV4:
            case IPV6:
            case RAW:
            default:
                if (length < 1) {
                    return malformed();
                }
                int version = (frame[offset] & 0xF0) >>> 4;
                etherType = version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : -1;
                ip = offset;
                break;
        }
        if (etherType == ETHERTYPE_IPV4) {
            return decodeIpv4(frame, ip, end, timestampNanos, out);
        }
        if (etherType == ETHERTYPE_IPV6) {
            return decodeIpv6(frame, ip, end, timestampNanos, out);
        }
        stats.nonIp++;
        return false;
    }

    private boolean decodeIpv4(byte[] b, int ip, int end, long ts, TcpPacket out) {
        if (ip + 20 > end || (b[ip] & 0xF0) != 0x40) {
            return malformed();
        }
        int ihl = (b[ip] & 0x0F) * 4;
        int totalLength = u16(b, ip + 2);
        if (ihl < 20 || ip + ihl > end) {
            return malformed();
        }
        if (totalLength == 0) {
            totalLength = end - ip; // TSO-sized outgoing packet: length field left to the NIC
        } else if (totalLength < ihl) {
            return malformed();
        }
        int fragment = u16(b, ip + 6);
        if ((fragment & 0x3FFF) != 0) { // MF set or non-zero offset
            stats.ipFragments++;
            return false;
        }
        if ((b[ip + 9] & 0xFF) != PROTO_TCP) {
            stats.nonTcp++;
            return false;
        }
        out.ipVersion = 4;
        System.arraycopy(b, ip + 12, out.srcAddr, 0, 4);
        System.arraycopy(b, ip + 16, out.dstAddr, 0, 4);
        return decodeTcp(b, ip + ihl, ip + totalLength, end, ts, out);
    }

    private boolean decodeIpv6(byte[] b, int ip, int end, long ts, TcpPacket out) {
        if (ip + 40 > end || (b[ip] & 0xF0) != 0x60) {
            return malformed();
        }
        int payloadLength = u16(b, ip + 4);
        int next = b[ip + 6] & 0xFF;
        int p = ip + 40;
        int ipEnd = payloadLength == 0 ? end : ip + 40 + payloadLength; // 0: jumbogram or TSO
        while (next != PROTO_TCP) {
            switch (next) {
                case 0:   // hop-by-hop
                case 43:  // routing
                case 60:  // destination options
                    if (p + 8 > end) {
                        return malformed();
                    }
                    next = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 1) * 8;
                    break;
                case 44:  // fragment
                    if (p + 8 > end) {
                        return malformed();
                    }
                    if ((u16(b, p + 2) & 0xFFF9) != 0) { // offset != 0 or M flag
                        stats.ipFragments++;
                        return false;
                    }
                    next = b[p] & 0xFF;
                    p += 8;
                    break;
                case 51:  // authentication header
                    if (p + 8 > end) {
                        return malformed();
                    }
                    next = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 2) * 4;
                    break;
                default:
                    stats.nonTcp++;
                    return false;
            }
            if (p > ipEnd) {
                return malformed();
            }
        }
        out.ipVersion = 6;
        System.arraycopy(b, ip + 8, out.srcAddr, 0, 16);
        System.arraycopy(b, ip + 24, out.dstAddr, 0, 16);
        return decodeTcp(b, p, ipEnd, end, ts, out);
    }

    /** {@code tcp}: header start; {@code ipEnd}: end per the IP header; {@code end}: end of captured bytes. */
    private boolean decodeTcp(byte[] b, int tcp, int ipEnd, int end, long ts, TcpPacket out) {
        if (tcp + 20 > end || tcp + 20 > ipEnd) {
            return malformed();
        }
        int headerLength = ((b[tcp + 12] & 0xF0) >>> 4) * 4;
        if (headerLength < 20 || tcp + headerLength > ipEnd || tcp + headerLength > end) {
            return malformed();
        }
        out.timestampNanos = ts;
        out.srcPort = u16(b, tcp);
        out.dstPort = u16(b, tcp + 2);
        out.seq = (int) u32(b, tcp + 4);
        out.ack = (int) u32(b, tcp + 8);
        out.flags = b[tcp + 13] & 0xFF;
        out.frame = b;
        out.payloadOffset = tcp + headerLength;
        out.declaredPayloadLength = ipEnd - out.payloadOffset;
        out.payloadLength = Math.min(ipEnd, end) - out.payloadOffset;
        if (out.payloadLength < out.declaredPayloadLength) {
            stats.truncated++;
        }
        stats.tcp++;
        return true;
    }

    private boolean malformed() {
        stats.malformed++;
        return false;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
