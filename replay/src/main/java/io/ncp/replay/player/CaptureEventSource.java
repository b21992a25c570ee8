package io.ncp.replay.player;

import io.ncp.replay.capture.CaptureFiles;
import io.ncp.replay.capture.PacketSource;
import io.ncp.replay.capture.RawPacket;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.journal.SessionInfo;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Flow;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.ncp.replay.reassembly.StreamListener;
import io.ncp.replay.reassembly.TcpReassembler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Session events reassembled from a capture file on the fly (decode, reassemble, queue the listener calls).
 * Client-to-server bytes are copied into the events; server-to-client data keep only their length unless
 * {@code keepServerBytes}.
 */
public final class CaptureEventSource implements SessionEventSource, StreamListener {

    private final PacketSource packets;
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpReassembler reassembler;
    private final RawPacket raw = new RawPacket();
    private final TcpPacket tcp = new TcpPacket();
    private final ArrayDeque<SessionEvent> queue = new ArrayDeque<>();
    private final boolean keepServerBytes;
    private boolean finished;

    public CaptureEventSource(Path capture, ReassemblyConfig config, boolean keepServerBytes) throws IOException {
        this.packets = CaptureFiles.open(capture);
        this.reassembler = new TcpReassembler(config, this);
        this.keepServerBytes = keepServerBytes;
    }

    @Override
    public SessionEvent next() throws IOException {
        while (queue.isEmpty() && !finished) {
            if (packets.next(raw)) {
                if (decoder.decode(raw.linkType, raw.data, raw.offset, raw.length, raw.timestampNanos, tcp)) {
                    reassembler.segment(tcp);
                }
            } else {
                finished = true;
                reassembler.finish();
            }
        }
        return queue.poll();
    }

    public TcpReassembler reassembler() {
        return reassembler;
    }

    public PacketDecoder decoder() {
        return decoder;
    }

    @Override
    public void onOpen(Flow flow) {
        queue.add(SessionEvent.open(SessionInfo.of(flow), flow.startNanos()));
    }

    @Override
    public void onData(Flow flow, Direction d, ByteBuf data, long offset, long ts) {
        int n = data.readableBytes();
        ByteBuf copy = d == Direction.CLIENT_TO_SERVER || keepServerBytes
            ? Unpooled.buffer(n, n).writeBytes(data, data.readerIndex(), n) : null;
        queue.add(SessionEvent.data(flow.id(), d, ts, offset, n, copy));
    }

    @Override
    public void onGap(Flow flow, Direction d, long offset, long length, long ts) {
        queue.add(SessionEvent.gap(flow.id(), d, ts, offset, length));
    }

    @Override
    public void onClose(Flow flow, Direction d, CloseReason reason, long offset, long ts) {
        queue.add(SessionEvent.close(flow.id(), d, ts, offset, reason));
    }

    @Override
    public String description() {
        return packets.description();
    }

    @Override
    public double progress() {
        return packets.size() <= 0 ? 0 : (double) packets.position() / packets.size();
    }

    @Override
    public String diagnostics() {
        return "decode: " + decoder.stats() + "; reassembly: " + reassembler.stats();
    }

    @Override
    public void close() throws IOException {
        SessionEvent e;
        while ((e = queue.poll()) != null) {
            e.release();
        }
        packets.close();
    }
}
