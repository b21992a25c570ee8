/**
 * HTTP/1.1 framing: {@link io.ncp.middlebox.proto.http.HttpFramer} cuts a client's request stream or a server's
 * response stream into messages (Content-Length, chunked, interim responses, HEAD/204/304 without a body) and says
 * where a stream stops being framed (upgrades, CONNECT tunnels, bodies delimited by the close, malformed input).
 */
package io.ncp.middlebox.proto.http;
