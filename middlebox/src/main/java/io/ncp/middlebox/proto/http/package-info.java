/**
 * {@code protocol: http}, request-aware replication of HTTP/1.1: {@link io.ncp.middlebox.proto.http.HttpFramer} cuts
 * a client's request stream or a server's response stream into messages (Content-Length, chunked, interim responses,
 * HEAD/204/304 without a body) and says where a stream stops being framed (upgrades, CONNECT tunnels, bodies delimited
 * by the close, malformed input); {@link io.ncp.middlebox.proto.http.HttpClientFilter} (the front's per-session
 * request filter), {@link io.ncp.middlebox.proto.http.HttpAnswerFilter} (per-exchange digests and frame ends) and
 * {@link io.ncp.middlebox.proto.http.HttpNoise} (headers left out of the comparison) build on it.
 */
package io.ncp.middlebox.proto.http;
