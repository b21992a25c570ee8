package io.ncp.replay.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every supported link layer, IPv4 options, IPv6 extension headers, padding, fragments and junk. */
class PacketDecoderTest {

    private static final byte[] C4 = {10, 0, 0, 1};
    private static final byte[] S4 = {10, 0, 0, 2};
    private static final byte[] C6 = new byte[16];
    private static final byte[] S6 = new byte[16];
    private static final byte[] PAYLOAD = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static {
        C6[15] = 1;
        S6[15] = 2;
    }

    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpPacket p = new TcpPacket();

    @Test
    void ethernetWithTwoVlanTagsIpv4OptionsAndPaddingYieldsExactlyThePayload() {
        byte[] ip = Frames.ipv4(C4, S4, 6, 0x4000, Frames.tcp(40000, 80, 0xFFFFFFFE, 7, TcpPacket.ACK | 0x08,
            PAYLOAD));
        assertDecodes(LinkType.ETHERNET, Frames.ethernet(0x0800, ip, 100, 42), 4);
        assertThat(p.seq).isEqualTo(0xFFFFFFFE);
        assertThat(p.ack).isEqualTo(7);
        assertThat(p.has(TcpPacket.ACK)).isTrue();
        assertThat(Arrays.copyOf(p.srcAddr, 4)).isEqualTo(C4);
    }

    @Test
    void linuxCookedV1V2BsdLoopbackAndRawIpv6WithExtensionHeaders() {
        byte[] v4 = Frames.ipv4(C4, S4, 6, 0, Frames.tcp(40000, 80, 1, 0, TcpPacket.SYN, PAYLOAD));
        byte[] v6 = Frames.ipv6(C6, S6, Frames.tcp(40000, 80, 1, 0, TcpPacket.ACK, PAYLOAD));
        assertDecodes(LinkType.LINUX_SLL, Frames.sll(0x0800, v4), 4);
        assertDecodes(LinkType.LINUX_SLL2, Frames.sll2(0x86DD, v6), 6);
        assertDecodes(LinkType.NULL, Frames.bsdLoopback(2, true, v4), 4);
        assertDecodes(LinkType.NULL, Frames.bsdLoopback(30, false, v6), 6);
        assertDecodes(LinkType.LOOP, Frames.bsdLoopback(2, false, v4), 4);
        assertDecodes(LinkType.RAW, v6, 6);
        assertDecodes(LinkType.IPV4, v4, 4);
        assertThat(Arrays.copyOf(p.dstAddr, 4)).isEqualTo(S4);
        assertThat(LinkType.of(12)).isEqualTo(LinkType.RAW);
        assertThat(LinkType.of(147)).isNull();
    }

    @Test
    void snapLengthCutsAreFlaggedWithTheDeclaredLength() {
        byte[] frame = Frames.ethernet(0x0800, Frames.ipv4(C4, S4, 6, 0, Frames.tcp(1, 2, 3, 4, 0, PAYLOAD)));
        int cut = frame.length - 10 - 5; // padding and the last 5 payload bytes missing
        assertThat(decoder.decode(LinkType.ETHERNET, frame, 0, cut, 1, p)).isTrue();
        assertThat(p.payloadLength).isEqualTo(PAYLOAD.length - 5);
        assertThat(p.declaredPayloadLength).isEqualTo(PAYLOAD.length);
        assertThat(decoder.stats().truncated).isEqualTo(1);
    }

    @Test
    void fragmentsNonTcpNonIpAndJunkAreCountedNotDecoded() {
        byte[] tcp = Frames.tcp(1, 2, 3, 4, 0, PAYLOAD);
        assertThat(decoder.decode(LinkType.ETHERNET, Frames.ethernet(0x0800, Frames.ipv4(C4, S4, 6, 0x2000, tcp)), 0,
            14 + 24 + tcp.length, 1, p)).isFalse();
        assertThat(decoder.decode(LinkType.ETHERNET, Frames.ethernet(0x0800, Frames.ipv4(C4, S4, 17, 0, tcp)), 0,
            14 + 24 + tcp.length, 1, p)).isFalse();
        assertThat(decoder.decode(LinkType.ETHERNET, Frames.ethernet(0x0806, new byte[28]), 0, 42, 1, p)).isFalse();
        byte[] junk = Frames.ethernet(0x0800, new byte[] {0x4F, 0, 0, 1});
        assertThat(decoder.decode(LinkType.ETHERNET, junk, 0, junk.length, 1, p)).isFalse();
        assertThat(decoder.decode(LinkType.ETHERNET, new byte[5], 0, 5, 1, p)).isFalse();
        byte[] badTcp = Frames.ipv4(C4, S4, 6, 0, new byte[] {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0,
            0, 0, 0, 0}); // data offset 1 word: impossible
        assertThat(decoder.decode(LinkType.RAW, badTcp, 0, badTcp.length, 1, p)).isFalse();
        DecodeStats s = decoder.stats();
        assertThat(s.ipFragments).isEqualTo(1);
        assertThat(s.nonTcp).isEqualTo(1);
        assertThat(s.nonIp).isEqualTo(1);
        assertThat(s.malformed).isEqualTo(3);
        assertThat(s.tcp).isZero();
    }

    private void assertDecodes(LinkType link, byte[] frame, int ipVersion) {
        assertThat(decoder.decode(link, frame, 0, frame.length, 123, p)).as(link.name()).isTrue();
        assertThat(p.ipVersion).isEqualTo(ipVersion);
        assertThat(p.srcPort).isEqualTo(40000);
        assertThat(p.dstPort).isEqualTo(80);
        assertThat(p.timestampNanos).isEqualTo(123);
        assertThat(p.declaredPayloadLength).isEqualTo(PAYLOAD.length);
        assertThat(Arrays.copyOfRange(frame, p.payloadOffset, p.payloadOffset + p.payloadLength)).isEqualTo(PAYLOAD);
    }
}
