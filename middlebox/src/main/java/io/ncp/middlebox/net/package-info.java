/**
 * Channel helpers shared by the primary path and the replica side: the transport (epoll or NIO), the socket options
 * of every connection ({@link io.ncp.middlebox.net.Connectors}, {@link io.ncp.middlebox.net.CongestionControl}), and
 * close/half-close/reset in the right order ({@link io.ncp.middlebox.net.Channels}: a reset waits until the peer has
 * every byte already written, {@link io.ncp.middlebox.net.SendQueue}).
 */
package io.ncp.middlebox.net;
