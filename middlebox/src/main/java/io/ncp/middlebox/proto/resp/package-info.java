/**
 * RESP (Redis) framing and replication policy: {@link io.ncp.middlebox.proto.resp.RespRequestFramer} (client
 * requests: multibulk and inline, as redis-server parses them), {@link io.ncp.middlebox.proto.resp.RespReplyFramer}
 * (RESP2 and RESP3 replies), {@link io.ncp.middlebox.proto.resp.RespPolicy} (commands never replayed, sessions not
 * replicated, noisy commands), {@link io.ncp.middlebox.proto.resp.RespClientFilter} (the front's per-session request
 * filter) and {@link io.ncp.middlebox.proto.resp.RespAnswerFilter} (per-exchange digests and frame counts), all
 * behind the protocol-neutral interfaces of {@link io.ncp.middlebox.proto} ({@link
 * io.ncp.middlebox.proto.resp.RespAware}).
 */
package io.ncp.middlebox.proto.resp;
