/**
 * Mirror mode (NCP approach 1): the primary receives the client traffic directly; the middlebox captures it (live
 * interface through libpcap, or a capture file), reassembles each session and replays the client bytes to the
 * replicas through the same shard rings and replica side as the socket mode. The primary's captured answers are the
 * reference the replicas' answers are compared with.
 *
 * <p>Data path: {@link io.ncp.middlebox.mirror.PacketInput} (capture) → the capture thread in
 * {@link io.ncp.middlebox.mirror.MirrorFrontend} (spreads frames over shards by
 * {@link io.ncp.replay.reassembly.FlowHash}) → per shard a {@link io.ncp.middlebox.mirror.MirrorShard} on the shard's
 * front loop (decoder + {@link io.ncp.replay.reassembly.TcpReassembler}) → {@link
 * io.ncp.middlebox.mirror.MirrorListener} → {@link io.ncp.middlebox.ring.SessionFeed} → ring → replica side.
 */
package io.ncp.middlebox.mirror;
