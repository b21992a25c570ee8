/**
 * Request-aware replication: what the middlebox knows about an application protocol beyond its bytes. A service
 * with a framed protocol ({@code protocol: redis}, {@link io.ncp.middlebox.proto.resp}; {@code protocol: postgres},
 * {@link io.ncp.middlebox.proto.pg}) frames its client streams into requests and its answer streams into replies
 * through the protocol-neutral interfaces here ({@link io.ncp.middlebox.proto.RequestAware} per service;
 * {@link io.ncp.middlebox.proto.FramingAnswerFilter}, {@link io.ncp.middlebox.proto.RequestFilter} and
 * {@link io.ncp.middlebox.proto.RequestNamer} per stream), which the front, the replica copies and the lockstep gate
 * use; {@link io.ncp.middlebox.proto.select} picks the protocol. {@code protocol: bytes} (the default) does none of
 * this. Everything here is single-threaded: each instance belongs to the event loop that reads its stream. Bad input
 * never throws: it is a framing error, after which the stream is treated as bytes.
 */
package io.ncp.middlebox.proto;
