package io.ncp.replay.reassembly;

import static io.ncp.replay.decode.TcpPacket.ACK;
import static io.ncp.replay.decode.TcpPacket.FIN;
import static io.ncp.replay.decode.TcpPacket.RST;
import static io.ncp.replay.decode.TcpPacket.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.decode.TcpPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Deterministic cases next to the properties: handshake, ACK-proven loss, RST, idle, reuse, snap length. */
class TcpReassemblerTest {

    private static final long SEC = 1_000_000_000L;
    private final RecordingListener out = new RecordingListener();
    private final TcpReassembler r = new TcpReassembler(ReassemblyConfig.defaults()
        .withIdleTimeout(Duration.ofSeconds(10)), out);

    @Test
    void handshakeRequestResponseAndCloseInBothDirections() {
        int c = 0xFFFFFFF0; // client ISN wraps after 15 bytes
        int s = 1000;
        r.segment(Segments.c2s(SEC, c, SYN, null, 0, 0));
        r.segment(Segments.packet(SEC, false, s, c + 1, SYN | ACK, null, 0, 0));
        r.segment(data(true, SEC, c + 1, "*1\r\n$4\r\nPING\r\n and more bytes"));
        r.segment(data(false, SEC, s + 1, "+PONG\r\n"));
        r.segment(Segments.packet(SEC, true, c + 1 + 29, s + 8, FIN | ACK, null, 0, 0));
        r.segment(Segments.packet(SEC, false, s + 8, c + 31, FIN | ACK, null, 0, 0));
        r.segment(Segments.packet(SEC, true, c + 31, s + 9, ACK, null, 0, 0)); // final ACK: no new flow

        assertThat(out.violations).isEmpty();
        assertThat(text(out.only(Direction.CLIENT_TO_SERVER))).isEqualTo("*1\r\n$4\r\nPING\r\n and more bytes");
        assertThat(text(out.only(Direction.SERVER_TO_CLIENT))).isEqualTo("+PONG\r\n");
        assertThat(out.only(Direction.CLIENT_TO_SERVER).closed).isEqualTo(CloseReason.FIN);
        assertThat(out.only(Direction.SERVER_TO_CLIENT).closed).isEqualTo(CloseReason.FIN);
        Flow flow = out.flows.values().iterator().next();
        assertThat(flow.client().port()).isEqualTo(Segments.CLIENT_PORT);
        assertThat(flow.midstream()).isFalse();
        assertThat(r.stats().flowsClosed).isEqualTo(1);
    }

    @Test
    void anAckBeyondTheDataProvesLossAndReportsTheGapAtOnce() {
        r.segment(Segments.c2s(SEC, 100, SYN, null, 0, 0));
        r.segment(data(true, SEC, 101, "aaaa"));
        r.segment(data(true, SEC, 109, "cccc")); // "bbbb" at 105 never captured
        assertThat(out.only(Direction.CLIENT_TO_SERVER).gaps).isEmpty();
        r.segment(Segments.packet(SEC, false, 500, 113, ACK, null, 0, 0)); // server got all 12 bytes

        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        assertThat(c2s.gaps).containsExactly(new RecordingListener.Gap(4, 4));
        assertThat(text(c2s)).isEqualTo("aaaa\0\0\0\0cccc");
        assertThat(c2s.closed).isNull();
    }

    @Test
    void rstClosesBothDirectionsAndDeliversHeldDataAfterAGap() {
        r.segment(Segments.c2s(SEC, 100, SYN, null, 0, 0));
        r.segment(data(true, SEC, 105, "late"));
        r.segment(Segments.s2c(SEC, 7, RST, null, 0, 0));

        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        assertThat(c2s.gaps).containsExactly(new RecordingListener.Gap(0, 4));
        assertThat(c2s.closed).isEqualTo(CloseReason.RST);
        assertThat(out.only(Direction.SERVER_TO_CLIENT).closed).isEqualTo(CloseReason.RST);
        assertThat(out.violations).isEmpty();
    }

    @Test
    void idleFlowsCloseOnCaptureTimeNotWallTime() {
        r.segment(data(true, SEC, 100, "x"));
        r.advanceTime(5 * SEC);
        assertThat(out.only(Direction.CLIENT_TO_SERVER).closed).isNull();
        r.advanceTime(12 * SEC);
        assertThat(out.only(Direction.CLIENT_TO_SERVER).closed).isEqualTo(CloseReason.IDLE);
        assertThat(r.trackedFlows()).isZero();
    }

    @Test
    void aNewSynOnTheSameAddressesStartsANewSession() {
        r.segment(Segments.c2s(SEC, 100, SYN, null, 0, 0));
        r.segment(data(true, SEC, 101, "one"));
        r.segment(Segments.c2s(SEC, 100, SYN, null, 0, 0)); // retransmitted SYN: same session
        r.segment(Segments.c2s(2 * SEC, 9000, SYN, null, 0, 0));
        r.segment(data(true, 2 * SEC, 9001, "two"));

        assertThat(out.flows).hasSize(2);
        RecordingListener.Stream first = out.streams.values().iterator().next()[0];
        assertThat(first.closed).isEqualTo(CloseReason.REUSED);
        assertThat(out.violations).isEmpty();
    }

    @Test
    void bytesCutByTheSnapLengthBecomeAGap() {
        TcpPacket p = data(true, SEC, 100, "abcd");
        p.declaredPayloadLength = 10;
        r.segment(Segments.c2s(SEC, 99, SYN, null, 0, 0));
        r.segment(p);
        r.segment(data(true, SEC, 110, "next"));

        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        assertThat(c2s.gaps).containsExactly(new RecordingListener.Gap(4, 6));
        assertThat(text(c2s)).isEqualTo("abcd\0\0\0\0\0\0next");
    }

    @Test
    void midstreamFlowsAreOrientedByServerPortHints() {
        TcpReassembler hinted = new TcpReassembler(ReassemblyConfig.defaults().withServerPorts(Set.of(40000)), out);
        hinted.segment(data(true, SEC, 5, "from the 40000 side"));
        Flow flow = out.flows.values().iterator().next();
        assertThat(flow.midstream()).isTrue();
        assertThat(flow.server().port()).isEqualTo(40000);
    }

    @Test
    void bothDirectionsOfAFlowHashAlike() {
        TcpPacket there = Segments.c2s(SEC, 1, ACK, null, 0, 0);
        TcpPacket back = Segments.s2c(SEC, 1, ACK, null, 0, 0);
        assertThat(FlowHash.of(there)).isEqualTo(FlowHash.of(back));
        back.srcPort++;
        assertThat(FlowHash.of(there)).isNotEqualTo(FlowHash.of(back));
    }

    @Test
    void pureAcksOfUnknownFlowsAreIgnored() {
        r.segment(Segments.c2s(SEC, 100, ACK, null, 0, 0));
        r.segment(Segments.c2s(SEC, 100, FIN | ACK, null, 0, 0));
        assertThat(out.flows).isEmpty();
        assertThat(r.stats().ignored).isEqualTo(2);
    }

    /** A data segment without the ACK flag (its acknowledgement number would otherwise be checked). */
    private static TcpPacket data(boolean fromClient, long ts, int seq, String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return Segments.packet(ts, fromClient, seq, 0, TcpPacket.PSH, b, 0, b.length);
    }

    private static String text(RecordingListener.Stream s) {
        return new String(s.bytes.toByteArray(), StandardCharsets.ISO_8859_1);
    }
}
