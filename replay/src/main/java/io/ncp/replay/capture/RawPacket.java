package io.ncp.replay.capture;

import io.ncp.replay.decode.LinkType;

/**
 * One captured frame as a source hands it out: {@code data[offset .. offset + length)}. A reusable holder:
 * the source may overwrite {@code data} on its next call, so consumers copy what they keep.
 */
public final class RawPacket {

    public byte[] data;
    public int offset;
    /** Captured bytes. */
    public int length;
    /** Length on the wire (larger than {@link #length} when the snap length cut the frame). */
    public int originalLength;
    /** Capture time, nanoseconds since the epoch. */
    public long timestampNanos;
    public LinkType linkType;
    /** Byte offset of this packet's record in its file (-1 for live captures), for error messages. */
    public long fileOffset = -1;
}
