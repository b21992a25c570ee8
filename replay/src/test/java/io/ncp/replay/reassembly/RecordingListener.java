package io.ncp.replay.reassembly;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what a reassembler reports and checks the {@link StreamListener} contract on the way: open before
 * anything else, contiguous offsets per direction, one close per direction, nothing after it.
 */
final class RecordingListener implements StreamListener {

    record Gap(long offset, long length) {
    }

    /** What one direction of one flow received. */
    static final class Stream {
        /** Delivered bytes at their offsets, zeros where gaps were reported. */
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Gap> gaps = new ArrayList<>();
        long expectedOffset;
        CloseReason closed;
        long closeOffset = -1;
    }

    final Map<Long, Flow> flows = new LinkedHashMap<>();
    final Map<Long, Stream[]> streams = new LinkedHashMap<>();
    final List<String> violations = new ArrayList<>();

    @Override
    public void onOpen(Flow flow) {
        if (flows.put(flow.id(), flow) != null) {
            violations.add("opened twice: " + flow);
        }
        streams.put(flow.id(), new Stream[] {new Stream(), new Stream()});
    }

    @Override
    public void onData(Flow flow, Direction direction, ByteBuf data, long offset, long ts) {
        Stream s = stream(flow, direction, offset);
        byte[] copy = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), copy);
        s.bytes.writeBytes(copy);
        s.expectedOffset += copy.length;
        if (copy.length == 0) {
            violations.add("empty data for " + flow);
        }
    }

    @Override
    public void onGap(Flow flow, Direction direction, long offset, long length, long ts) {
        Stream s = stream(flow, direction, offset);
        s.gaps.add(new Gap(offset, length));
        s.bytes.writeBytes(new byte[(int) Math.min(length, 1 << 24)]); // zeros stand in for the missing bytes
        s.expectedOffset += length;
    }

    @Override
    public void onClose(Flow flow, Direction direction, CloseReason reason, long offset, long ts) {
        Stream s = stream(flow, direction, offset);
        s.closed = reason;
        s.closeOffset = offset;
    }

    private Stream stream(Flow flow, Direction d, long offset) {
        Stream[] pair = streams.get(flow.id());
        if (pair == null) {
            violations.add("event before open: " + flow);
            return new Stream();
        }
        Stream s = pair[d.ordinal()];
        if (s.closed != null) {
            violations.add("event after close: " + flow + " " + d);
        }
        if (offset != s.expectedOffset) {
            violations.add("offset " + offset + " but expected " + s.expectedOffset + " in " + flow + " " + d);
        }
        return s;
    }

    Stream only(Direction d) {
        if (streams.size() != 1) {
            throw new AssertionError("expected one flow, got " + streams.size() + ": " + flows.values());
        }
        return streams.values().iterator().next()[d.ordinal()];
    }

    /** Gaps merged where adjacent (a hole next to a known-lost range is reported as two gaps). */
    static List<Gap> merged(List<Gap> gaps) {
        List<Gap> out = new ArrayList<>();
        for (Gap g : gaps) {
            Gap last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.offset() + last.length() == g.offset()) {
                out.set(out.size() - 1, new Gap(last.offset(), last.length() + g.length()));
            } else {
                out.add(g);
            }
        }
        return out;
    }
}
