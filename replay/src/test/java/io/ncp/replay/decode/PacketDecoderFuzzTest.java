package io.ncp.replay.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fuzz target for {@link PacketDecoder} (docs/fuzzing.md). Input: byte 0 picks the link type, byte 1 how many
 * unrelated bytes precede the frame in its buffer, the rest is the frame; the frame ends its buffer, so reading
 * past it throws.
 *
 * <p>Oracle: {@code decode} never throws (a bad frame is a counted outcome, not an exception), bumps exactly one
 * outcome counter, and a decoded segment's payload lies inside the frame after at least a TCP header, with
 * {@code declaredPayloadLength >= payloadLength}. An IP packet (raw link types) must decode the same under every
 * other link-layer header NCP supports (Ethernet with and without a VLAN tag, Linux cooked v1/v2, BSD and OpenBSD
 * loopback), its payload shifted by exactly that header's length.
 */
public class PacketDecoderFuzzTest {

    /** Seeds: frames of the capture seeds, under each link type. */
    @FuzzTest(maxDuration = "8s")
    void decode(byte[] input) {
        if (input.length < 2) {
            return;
        }
        LinkType type = LinkType.values()[(input[0] & 0xFF) % LinkType.values().length];
        int lead = (input[1] & 0xFF) % 17;
        byte[] buf = new byte[lead + input.length - 2];
        System.arraycopy(input, 2, buf, lead, input.length - 2);
        decodeAndCheck(type, buf, lead, input.length - 2);
        if (type == LinkType.RAW || type == LinkType.IPV4 || type == LinkType.IPV6) {
            byte[] ip = new byte[input.length - 2];
            System.arraycopy(input, 2, ip, 0, ip.length);
            sameUnderEveryLinkLayer(ip, decodeAndCheck(type, ip, 0, ip.length));
        }
    }

    /**
     * Decodes {@code frame[offset .. offset + length)} with a fresh decoder and checks the oracle.
     *
     * @return the segment, or null when the frame is not a TCP segment
     */
    public static TcpPacket decodeAndCheck(LinkType type, byte[] frame, int offset, int length) {
        PacketDecoder d = new PacketDecoder();
        TcpPacket out = new TcpPacket();
        boolean tcp = d.decode(type, frame, offset, length, 7L, out);
        DecodeStats s = d.stats();
        assertThat(s.packets).isEqualTo(1);
        assertThat(s.bytes).isEqualTo(length);
        assertThat(s.tcp + s.nonIp + s.nonTcp + s.ipFragments + s.malformed).as("exactly one outcome: " + s)
            .isEqualTo(1);
        assertThat(s.tcp == 1).isEqualTo(tcp);
        if (!tcp) {
            assertThat(s.truncated).isZero();
            return null;
        }
        assertThat(out.frame).isSameAs(frame);
        assertThat(out.ipVersion).isIn(4, 6);
        assertThat(out.timestampNanos).isEqualTo(7L);
        assertThat(out.payloadOffset).isBetween(offset + 20 + (out.ipVersion == 4 ? 20 : 40), offset + length);
        assertThat(out.payloadLength).isNotNegative();
        assertThat(out.payloadOffset + out.payloadLength).isLessThanOrEqualTo(offset + length);
        assertThat(out.declaredPayloadLength).isGreaterThanOrEqualTo(out.payloadLength);
        assertThat(s.truncated).isEqualTo(out.declaredPayloadLength > out.payloadLength ? 1 : 0);
        assertThat(out.srcPort).isBetween(0, 65535);
        assertThat(out.dstPort).isBetween(0, 65535);
        return out;
    }

    private static void sameUnderEveryLinkLayer(byte[] ip, TcpPacket raw) {
        int version = ip.length == 0 ? 0 : (ip[0] & 0xF0) >>> 4;
        if (version != 4 && version != 6) {
            return;
        }
        int etherType = version == 4 ? 0x0800 : 0x86DD;
        int family = version == 4 ? 2 : 30;
        ByteBuffer eth = ByteBuffer.allocate(14).put(new byte[12]).putShort((short) etherType);
        ByteBuffer vlan = ByteBuffer.allocate(18).put(new byte[12]).putShort((short) 0x8100).putShort((short) 5)
            .putShort((short) etherType);
        ByteBuffer sll = ByteBuffer.allocate(16).putShort((short) 0).putShort((short) 772).putShort((short) 6)
            .put(new byte[8]).putShort((short) etherType);
        ByteBuffer sll2 = ByteBuffer.allocate(20).putShort((short) etherType).putShort((short) 0).putInt(1)
            .putShort((short) 772).put((byte) 0).put((byte) 6).put(new byte[8]);
        ByteBuffer bsd = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(family);
        ByteBuffer loop = ByteBuffer.allocate(4).putInt(family);
        same(LinkType.ETHERNET, eth.array(), ip, raw);
        same(LinkType.ETHERNET, vlan.array(), ip, raw);
        same(LinkType.LINUX_SLL, sll.array(), ip, raw);
        same(LinkType.LINUX_SLL2, sll2.array(), ip, raw);
        same(LinkType.NULL, bsd.array(), ip, raw);
        same(LinkType.LOOP, loop.array(), ip, raw);
    }

    private static void same(LinkType type, byte[] header, byte[] ip, TcpPacket raw) {
        byte[] frame = new byte[header.length + ip.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        System.arraycopy(ip, 0, frame, header.length, ip.length);
        TcpPacket p = decodeAndCheck(type, frame, 0, frame.length);
        assertThat(p == null).as(type + ": decoded as TCP").isEqualTo(raw == null);
        if (p == null) {
            return;
        }
        assertThat(p.toString()).as(type.name()).isEqualTo(raw.toString());
        assertThat(p.payloadOffset - header.length).as(type + ": payload offset").isEqualTo(raw.payloadOffset);
        assertThat(p.declaredPayloadLength).as(type + ": declared length").isEqualTo(raw.declaredPayloadLength);
        assertThat(p.ipVersion).isEqualTo(raw.ipVersion);
        assertThat(p.srcAddr).isEqualTo(raw.srcAddr);
        assertThat(p.dstAddr).isEqualTo(raw.dstAddr);
    }
}
