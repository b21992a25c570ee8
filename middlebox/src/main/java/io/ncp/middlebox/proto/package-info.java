/**
 * Request-aware replication: what the middlebox knows about an application protocol beyond its bytes. A service
 * with {@code protocol: redis} frames its client streams into requests and its answer streams into replies
 * ({@link io.ncp.middlebox.proto.resp}); {@code protocol: bytes} (the default) does none of this. Everything here is
 * single-threaded: each instance belongs to the event loop that reads its stream. Bad input never throws: it is a
 * framing error, after which the stream is treated as bytes.
 */
package io.ncp.middlebox.proto;
