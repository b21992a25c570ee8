package io.ncp.middlebox.mirror;

import io.ncp.middlebox.stats.CaptureStats;
import java.io.IOException;

/** Where mirror mode's frames come from: a live interface or a capture file. Read by the capture thread only. */
public interface PacketInput extends AutoCloseable {

    /**
     * The next frame whose bytes the caller may keep (never overwritten by a later call).
     *
     * @param timeoutMillis live: how long to wait for a packet
     * @return the frame; {@link #IDLE} when none arrived in time; null at the end of the input (file)
     * @throws IOException when the capture failed or the file is corrupt
     */
    Frame next(long timeoutMillis) throws IOException, InterruptedException;

    /** True when the input has an end (a file): it is then read as fast as the shards take it, never dropped. */
    boolean finite();

    /** Copies the capture's own counters (libpcap, capture queue) into {@code stats}. */
    void refreshStats(CaptureStats stats);

    /** What is read, for messages and metrics. */
    String description();

    /** Stops the capture (live: {@code breakLoop}) and releases the handle or file. */
    @Override
    void close() throws IOException;

    /** Sentinel of {@link #next}: no frame within the timeout. */
    Frame IDLE = new Frame(new byte[0], 0, 0, 0, null);
}
