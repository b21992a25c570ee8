/**
 * Packet input: capture files read in pure Java ({@link io.ncp.replay.capture.CaptureFiles}: pcap with
 * micro- or nanosecond timestamps in either byte order, and pcapng) and live interfaces through pcap4j and
 * libpcap ({@link io.ncp.replay.capture.LiveCapture}). Every source hands out {@link
 * io.ncp.replay.capture.RawPacket}s whose bytes the source reuses; bad files fail with a
 * {@link io.ncp.replay.capture.CaptureFormatException} that names the file, the byte offset and the problem.
 */
package io.ncp.replay.capture;
