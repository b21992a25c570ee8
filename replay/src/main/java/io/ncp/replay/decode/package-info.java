/**
 * Packet decoding from raw captured bytes: link layers (Ethernet with VLAN tags, Linux cooked v1/v2,
 * BSD loopback, raw IP), IPv4/IPv6 and TCP headers, into a reusable {@link io.ncp.replay.decode.TcpPacket}.
 *
 * <p>Decoding works directly on the byte arrays a capture source hands over (no per-packet objects);
 * malformed or uninteresting packets are counted in {@link io.ncp.replay.decode.DecodeStats}, never thrown.
 * Not thread-safe: one decoder per capture thread.
 */
package io.ncp.replay.decode;
