/**
 * TCP stream reassembly: {@link io.ncp.replay.reassembly.TcpReassembler} turns decoded segments into
 * per-flow, per-direction byte streams and reports them to a {@link io.ncp.replay.reassembly.StreamListener}.
 *
 * <p>Handles out-of-order segments, retransmissions, overlaps, 32-bit sequence wrap-around, SYN/FIN/RST,
 * flows captured mid-stream and idle timeouts measured on capture time (so a capture file always
 * reassembles the same way). Out-of-order data is held with per-flow and global byte caps; a hole that can
 * never be filled (lost by the capture, cut by the snap length, or forced out by a cap) is reported as a
 * gap with its stream offset, and the stream continues after it, marked damaged.
 *
 * <p>Threading: a reassembler, its flows and its listener calls belong to one owner thread.
 */
package io.ncp.replay.reassembly;
