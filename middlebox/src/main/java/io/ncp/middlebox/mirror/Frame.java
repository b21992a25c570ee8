package io.ncp.middlebox.mirror;

import io.ncp.replay.decode.LinkType;

/**
 * One captured frame on its way from the capture thread to a shard: {@code data[offset .. offset + length)}. The
 * array belongs to the frame (never reused by the capture), so handing it to another thread is safe.
 */
record Frame(byte[] data, int offset, int length, long timestampNanos, LinkType linkType) {
}
