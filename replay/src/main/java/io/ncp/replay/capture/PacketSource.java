package io.ncp.replay.capture;

import java.io.IOException;

/** A finite, pull-based stream of captured frames (a capture file). Single-threaded. */
public interface PacketSource extends AutoCloseable {

    /**
     * Fills {@code into} with the next frame.
     *
     * @return false at the end of the input
     * @throws CaptureFormatException when the input is corrupt or truncated (names file and offset)
     */
    boolean next(RawPacket into) throws IOException;

    /** What this source reads, for messages. */
    String description();

    /** Bytes consumed so far (for progress); -1 if unknown. */
    long position();

    /** Total input size in bytes (for progress); -1 if unknown. */
    long size();

    @Override
    void close() throws IOException;
}
