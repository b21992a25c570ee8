package io.ncp.replay.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.replay.decode.TcpPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random byte streams cut into segments, then reordered, duplicated and overlapped (and optionally one
 * segment dropped): the reassembler must return exactly the stream, or report the dropped bytes as a gap at
 * their offset. Initial sequence numbers include values just below 2^32 so streams wrap around.
 */
class ReassemblyProperties {

    @Property(tries = 300)
    void shuffledDuplicatedOverlappedSegmentsGiveTheExactStream(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40_000) int length, @ForAll("isns") int isn) {
        Random rnd = new Random(seed);
        byte[] stream = randomBytes(rnd, length);
        Scenario sc = Scenario.cut(rnd, length);
        RecordingListener out = run(sc.packets(rnd, stream, isn, -1, true), ReassemblyConfig.defaults());

        assertThat(out.violations).isEmpty();
        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        assertThat(c2s.gaps).isEmpty();
        assertThat(c2s.bytes.toByteArray()).isEqualTo(stream);
        assertThat(c2s.closed).isEqualTo(CloseReason.FIN);
        assertThat(c2s.closeOffset).isEqualTo(length);
        assertThat(out.flows.values().iterator().next().midstream()).isFalse();
    }

    @Property(tries = 300)
    void aDroppedSegmentIsReportedAsAGapAtItsOffset(@ForAll long seed,
            @ForAll @IntRange(min = 2, max = 40_000) int length, @ForAll("isns") int isn) {
        Random rnd = new Random(seed);
        byte[] stream = randomBytes(rnd, length);
        Scenario sc = Scenario.cut(rnd, length);
        int drop = rnd.nextInt(sc.cuts.size());
        int[] dropped = sc.cuts.get(drop);
        RecordingListener out = run(sc.packets(rnd, stream, isn, drop, true), ReassemblyConfig.defaults());

        assertThat(out.violations).isEmpty();
        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        assertThat(RecordingListener.merged(c2s.gaps))
            .containsExactly(new RecordingListener.Gap(dropped[0], dropped[1] - dropped[0]));
        byte[] expected = stream.clone();
        Arrays.fill(expected, dropped[0], dropped[1], (byte) 0);
        assertThat(c2s.bytes.toByteArray()).isEqualTo(expected);
        assertThat(c2s.closeOffset).isEqualTo(length);
        assertThat(out.flows.values().iterator().next().damaged()).isTrue();
    }

    @Property(tries = 200)
    void aMidstreamCaptureIsAnchoredAtItsFirstByte(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 20_000) int length, @ForAll("isns") int isn) {
        Random rnd = new Random(seed);
        byte[] stream = randomBytes(rnd, length);
        Scenario sc = Scenario.cut(rnd, length);
        RecordingListener out = run(sc.packets(rnd, stream, isn, -1, false), ReassemblyConfig.defaults());

        assertThat(out.violations).isEmpty();
        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        assertThat(c2s.gaps).isEmpty();
        assertThat(c2s.bytes.toByteArray()).isEqualTo(stream);
        assertThat(out.flows.values().iterator().next().midstream()).isTrue();
    }

    @Property(tries = 200)
    void underATightBufferCapDataStaysAtItsOffsetsAndGapsCoverTheRest(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40_000) int length, @ForAll("isns") int isn,
            @ForAll @IntRange(min = 1, max = 8_000) int cap) {
        Random rnd = new Random(seed);
        byte[] stream = randomBytes(rnd, length);
        Scenario sc = Scenario.cut(rnd, length);
        ReassemblyConfig config = ReassemblyConfig.defaults().withBufferLimits(cap, cap);
        RecordingListener out = run(sc.packets(rnd, stream, isn, -1, true), config);

        assertThat(out.violations).isEmpty();
        RecordingListener.Stream c2s = out.only(Direction.CLIENT_TO_SERVER);
        byte[] got = c2s.bytes.toByteArray();
        assertThat(got).hasSize(length);
        byte[] expected = stream.clone();
        for (RecordingListener.Gap g : c2s.gaps) {
            Arrays.fill(expected, (int) g.offset(), (int) (g.offset() + g.length()), (byte) 0);
        }
        assertThat(got).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Integer> isns() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-50_000, -1));
    }

    private static RecordingListener run(List<TcpPacket> packets, ReassemblyConfig config) {
        RecordingListener out = new RecordingListener();
        TcpReassembler r = new TcpReassembler(config, out);
        for (TcpPacket p : packets) {
            r.segment(p);
        }
        r.finish();
        assertThat(r.stats().bufferedBytes).isZero();
        return out;
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A stream cut into segments [start, end). */
    static final class Scenario {
        final List<int[]> cuts = new ArrayList<>();

        static Scenario cut(Random rnd, int length) {
            Scenario s = new Scenario();
            int maxSeg = 1 + rnd.nextInt(3000);
            for (int at = 0; at < length;) {
                int n = Math.min(length - at, 1 + rnd.nextInt(maxSeg));
                s.cuts.add(new int[] {at, at + n});
                at += n;
            }
            return s;
        }

        /**
         * The packets of a scenario: SYN (when {@code withSyn}), every segment except {@code drop}, duplicates
         * and overlapping re-sends that avoid the dropped range, all shuffled, and a FIN somewhere after the
         * SYN. Without SYN the first in-order segment goes first (the capture starts there).
         */
        List<TcpPacket> packets(Random rnd, byte[] stream, int isn, int drop, boolean withSyn) {
            int length = stream.length;
            int[] dropped = drop >= 0 ? cuts.get(drop) : new int[] {-1, -1};
            List<int[]> ranges = new ArrayList<>();
            for (int i = 0; i < cuts.size(); i++) {
                if (i != drop) {
                    ranges.add(cuts.get(i));
                }
            }
            int extras = rnd.nextInt(cuts.size() + 1);
            for (int i = 0; i < extras; i++) {
                int a = rnd.nextInt(length);
                int b = Math.min(length, a + 1 + rnd.nextInt(4000));
                if (b <= dropped[0] || a >= dropped[1]) {
                    ranges.add(new int[] {a, b});
                }
            }
            int[] first = null;
            if (!withSyn) {
                first = cuts.get(0);
                ranges.remove(first);
            }
            Collections.shuffle(ranges, rnd);
            List<TcpPacket> packets = new ArrayList<>();
            long ts = 1_000_000_000L;
            int base = withSyn ? isn + 1 : isn;
            if (withSyn) {
                packets.add(Segments.c2s(ts++, isn, TcpPacket.SYN, null, 0, 0));
            } else {
                packets.add(Segments.c2s(ts++, base, TcpPacket.ACK, stream, first[0], first[1] - first[0]));
            }
            for (int[] r : ranges) {
                packets.add(Segments.c2s(ts++, base + r[0], TcpPacket.ACK, stream, r[0], r[1] - r[0]));
            }
            if (withSyn) {
                int finAt = 1 + rnd.nextInt(packets.size());
                packets.add(finAt, Segments.c2s(0, base + length, TcpPacket.FIN | TcpPacket.ACK, null, 0, 0));
                for (int i = 0; i < packets.size(); i++) {
                    packets.get(i).timestampNanos = 1_000_000_000L + i;
                }
            }
            return packets;
        }
    }
}
