package io.ncp.replay.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Checks the {@link StreamListener} contract as events arrive, failing at the first breach: {@code onOpen} first;
 * per direction contiguous offsets from 0 with non-empty data and gaps; one {@code onClose} ending where the events
 * did; nothing after it. It also checks that every delivered byte is the byte its sender sent at that stream
 * position: senders fill their payloads with {@link #patternByte(int)} of the byte's position relative to a base
 * sequence number, and every offset of a direction must map to the same position shift (one of the relative
 * positions the sender used, {@code candidates}), so a byte delivered at the wrong offset, twice, or from outside
 * its segment is caught.
 */
final class ContractListener implements StreamListener {

    /** What one direction of one flow received. */
    static final class Stream {
        final int senderPort;
        long next;
        long dataBytes;
        long gapBytes;
        int gaps;
        CloseReason closed;
        /** Relative positions of stream offset 0 consistent with every byte so far; null before the first data. */
        Set<Integer> anchors;

        Stream(int senderPort) {
            this.senderPort = senderPort;
        }
    }

    private final IntFunction<Set<Integer>> candidates;
    final Map<Long, Flow> flows = new HashMap<>();
    final Map<Long, Stream[]> streams = new HashMap<>();
    long dataBytes;
    long gapBytes;

    /** @param candidates sender port to the relative sequence numbers its segments (data) started at so far */
    ContractListener(IntFunction<Set<Integer>> candidates) {
        this.candidates = candidates;
    }

    /** The byte a sender puts at relative sequence position {@code rel} (a 32-bit mix: no short period). */
    static byte patternByte(int rel) {
        int h = rel * 0x9E3779B1;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return (byte) h;
    }

    @Override
    public void onOpen(Flow flow) {
        assertThat(flows.put(flow.id(), flow)).as("opened twice: " + flow).isNull();
        streams.put(flow.id(), new Stream[] {new Stream(flow.client().port()), new Stream(flow.server().port())});
    }

    @Override
    public void onData(Flow flow, Direction d, ByteBuf data, long offset, long ts) {
        Stream s = stream(flow, d, offset);
        int n = data.readableBytes();
        assertThat(n).as("empty data for " + flow).isPositive();
        byte[] bytes = new byte[n];
        data.getBytes(data.readerIndex(), bytes);
        if (s.anchors == null) {
            s.anchors = new HashSet<>(candidates.apply(s.senderPort));
        }
        s.anchors.removeIf(a -> !matches(a, offset, bytes));
        assertThat(s.anchors).as("bytes at offset " + offset + " of " + flow + " " + d
            + " are not the sender's bytes at any one shift").isNotEmpty();
        s.next += n;
        s.dataBytes += n;
        dataBytes += n;
    }

    private static boolean matches(int anchor, long offset, byte[] bytes) {
        int rel = anchor + (int) offset;
        for (int k = 0; k < bytes.length; k++) {
            if (bytes[k] != patternByte(rel + k)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onGap(Flow flow, Direction d, long offset, long length, long ts) {
        Stream s = stream(flow, d, offset);
        assertThat(length).as("gap length in " + flow).isPositive();
        s.next += length;
        s.gapBytes += length;
        s.gaps++;
        gapBytes += length;
    }

    @Override
    public void onClose(Flow flow, Direction d, CloseReason reason, long offset, long ts) {
        Stream s = stream(flow, d, offset);
        assertThat(reason).isNotNull();
        s.closed = reason;
    }

    private Stream stream(Flow flow, Direction d, long offset) {
        Stream[] pair = streams.get(flow.id());
        assertThat(pair).as("event before open: " + flow).isNotNull();
        assertThat(flows.get(flow.id())).as("event for another flow with id " + flow.id()).isSameAs(flow);
        Stream s = pair[d.ordinal()];
        assertThat(s.closed).as("event after close: " + flow + " " + d).isNull();
        assertThat(offset).as("offset in " + flow + " " + d).isEqualTo(s.next);
        return s;
    }

    /** After {@code finish()}: every flow closed both ways, counters agree with what was delivered. */
    void checkFinished(TcpReassembler r) {
        ReassemblyStats st = r.stats();
        assertThat(r.trackedFlows()).isZero();
        assertThat(st.bufferedBytes).as("bytes still held").isZero();
        assertThat(st.flowsOpened).isEqualTo(flows.size());
        assertThat(st.flowsClosed).isEqualTo(flows.size());
        assertThat(st.bytesDelivered).isEqualTo(dataBytes);
        assertThat(st.gapBytes).isEqualTo(gapBytes);
        for (Map.Entry<Long, Stream[]> e : streams.entrySet()) {
            Flow flow = flows.get(e.getKey());
            for (Direction d : List.of(Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT)) {
                Stream s = e.getValue()[d.ordinal()];
                assertThat(s.closed).as("never closed: " + flow + " " + d).isNotNull();
                assertThat(flow.bytes(d)).isEqualTo(s.dataBytes);
                assertThat(flow.gapBytes(d)).isEqualTo(s.gapBytes);
                assertThat(flow.gaps(d)).isEqualTo(s.gaps);
            }
            assertThat(flow.damaged()).isEqualTo(e.getValue()[0].gaps + e.getValue()[1].gaps > 0);
        }
    }
}
