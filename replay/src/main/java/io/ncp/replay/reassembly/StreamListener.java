package io.ncp.replay.reassembly;

import io.netty.buffer.ByteBuf;

/**
 * Receives reassembled TCP streams. All calls for all flows come from the reassembler's owner thread, in
 * capture order; for one flow: {@code onOpen} first, then per direction {@code onData}/{@code onGap} with
 * strictly increasing, contiguous stream offsets (each call starts where the previous one of that direction
 * ended), then exactly one {@code onClose} per direction. After both directions closed the flow is never
 * mentioned again.
 *
 * <p>Buffer ownership: the {@code data} passed to {@link #onData} is <em>borrowed</em> for the duration of
 * the call; its bytes may live in a capture buffer that is reused right after. A listener that keeps bytes
 * must copy them (e.g. {@code alloc.buffer(n).writeBytes(data, data.readerIndex(), n)}); it must neither
 * retain nor release {@code data}, and may move its reader index.
 */
public interface StreamListener {

    /** A new flow; no data yet. */
    void onOpen(Flow flow);

    /**
     * Contiguous bytes of one direction.
     *
     * @param offset stream offset of the first byte (0 = first byte after the SYN, or the first byte seen
     *     for a mid-stream flow)
     * @param timestampNanos capture time of the packet that completed these bytes
     */
    void onData(Flow flow, Direction direction, ByteBuf data, long offset, long timestampNanos);

    /**
     * {@code length} bytes starting at {@code offset} will never arrive (lost by the capture, cut by the snap
     * length, or given up to respect a memory cap). The direction continues at {@code offset + length};
     * nothing after a gap may be treated as if the stream were whole.
     */
    void onGap(Flow flow, Direction direction, long offset, long length, long timestampNanos);

    /** The direction ended at stream offset {@code offset} (its total length including gaps). */
    void onClose(Flow flow, Direction direction, CloseReason reason, long offset, long timestampNanos);
}
