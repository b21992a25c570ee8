package io.ncp.replay.reassembly;

import io.ncp.replay.decode.TcpPacket;
import io.netty.buffer.ByteBuf;

/** A tracked flow: its public {@link Flow}, both {@link HalfStream}s, and its place in the reassembler. */
final class FlowState {

    final FlowKey key;
    final Flow flow;
    /** True when the canonical key's endpoint "a" is the client. */
    final boolean clientIsA;
    private final TcpReassembler reassembler;
    private final HalfStream[] halves = new HalfStream[2];
    long lastSeenNanos;

    FlowState(TcpReassembler reassembler, FlowKey key, Flow flow, boolean clientIsA) {
        this.reassembler = reassembler;
        this.key = key;
        this.flow = flow;
        this.clientIsA = clientIsA;
        halves[0] = new HalfStream(this, Direction.CLIENT_TO_SERVER);
        halves[1] = new HalfStream(this, Direction.SERVER_TO_CLIENT);
    }

    HalfStream half(Direction d) {
        return halves[d.ordinal()];
    }

    boolean fullyClosed() {
        return halves[0].closed() && halves[1].closed();
    }

    long bufferedBytes() {
        return halves[0].bufferedBytes() + halves[1].bufferedBytes();
    }

    /** Handles a segment travelling in direction {@code d}. */
    void segment(Direction d, TcpPacket p) {
        lastSeenNanos = Math.max(lastSeenNanos, p.timestampNanos);
        if (p.has(TcpPacket.RST)) {
            HalfStream own = half(d);
            if (p.payloadLength > 0) {
                own.segment(p);
            }
            close(CloseReason.RST, p.timestampNanos);
            return;
        }
        half(d).segment(p);
        if (p.has(TcpPacket.ACK)) {
            half(d.reverse()).acked(p.ack, p.timestampNanos);
        }
    }

    /** Closes whatever is still open. */
    void close(CloseReason reason, long ts) {
        halves[0].close(reason, ts);
        halves[1].close(reason, ts);
    }

    /** Releases held data, oldest hole first, until this flow is within its cap (or holds nothing). */
    boolean shrinkOnce(long ts) {
        HalfStream a = halves[0];
        HalfStream b = halves[1];
        HalfStream bigger = a.bufferedBytes() >= b.bufferedBytes() ? a : b;
        return bigger.shrink(ts) || (bigger == a ? b : a).shrink(ts);
    }

    ReassemblyStats stats() {
        return reassembler.stats();
    }

    void buffered(long delta) {
        reassembler.buffered(delta);
    }

    void enforceCaps(long ts) {
        reassembler.enforceCaps(this, ts);
    }

    void data(Direction d, ByteBuf data, long offset, long ts) {
        flow.countData(d, data.readableBytes());
        reassembler.stats().bytesDelivered += data.readableBytes();
        reassembler.listener().onData(flow, d, data, offset, ts);
    }

    void gap(Direction d, long offset, long length, long ts) {
        flow.countGap(d, length);
        reassembler.stats().gaps++;
        reassembler.stats().gapBytes += length;
        reassembler.listener().onGap(flow, d, offset, length, ts);
    }

    void closed(Direction d, CloseReason reason, long offset, long ts) {
        reassembler.listener().onClose(flow, d, reason, offset, ts);
        if (fullyClosed()) {
            reassembler.stats().flowsClosed++;
        }
    }
}
