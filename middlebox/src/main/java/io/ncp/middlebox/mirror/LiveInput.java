package io.ncp.middlebox.mirror;

import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.replay.capture.CaptureException;
import io.ncp.replay.capture.LiveCapture;
import io.ncp.replay.capture.RawPacket;
import java.io.IOException;
import org.pcap4j.core.PcapStat;

/**
 * A live interface through {@link LiveCapture} (pcap4j {@code loop} on its own thread, {@code breakLoop} on close).
 * Each frame's array is a fresh copy made by pcap4j, so frames are handed on without another copy.
 */
final class LiveInput implements PacketInput {

    private final LiveCapture capture;
    private final String description;
    private final RawPacket raw = new RawPacket();

    private LiveInput(LiveCapture capture, String description) {
        this.capture = capture;
        this.description = description;
    }

    /**
     * Opens {@code iface} with {@code filter} and starts capturing.
     *
     * @throws CaptureException naming the interface or the filter when either is bad (or capture is not permitted)
     */
    static LiveInput open(String iface, String filter, int snaplen, int bufferBytes, int queuePackets)
            throws CaptureException {
        LiveCapture c = new LiveCapture(iface, filter, snaplen, bufferBytes, queuePackets);
        c.start();
        return new LiveInput(c, iface + " (" + filter + ")");
    }

    @Override
    public Frame next(long timeoutMillis) throws IOException, InterruptedException {
        if (!capture.poll(raw, timeoutMillis)) {
            return IDLE;
        }
        return new Frame(raw.data, raw.offset, raw.length, raw.timestampNanos, raw.linkType);
    }

    @Override
    public boolean finite() {
        return false;
    }

    @Override
    public void refreshStats(CaptureStats stats) {
        PcapStat ps = capture.pcapStats();
        if (ps != null) {
            stats.pcap(ps.getNumPacketsReceived(), ps.getNumPacketsDropped(), ps.getNumPacketsDroppedByIf(),
                capture.queueDrops());
        } else {
            stats.pcap(0, 0, 0, capture.queueDrops());
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        capture.close();
    }

    /** Frames captured but not yet taken (after {@link #close()}: the rest to drain); null when none. */
    Frame leftover() throws IOException, InterruptedException {
        return capture.poll(raw, 0) ? new Frame(raw.data, raw.offset, raw.length, raw.timestampNanos, raw.linkType)
            : null;
    }
}
