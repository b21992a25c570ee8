package io.ncp.replay.capture;

import io.ncp.replay.decode.LinkType;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;

/**
 * Live capture from a network interface through pcap4j/libpcap, with a BPF filter.
 *
 * <p>A capture thread runs {@code handle.loop} (with libpcap 1.10, {@code getNextPacketEx} with a read
 * timeout can block forever on an idle interface, {@code loop} + {@code breakLoop} does not) and hands each
 * packet to a bounded queue; the owner thread takes them with {@link #poll(RawPacket, long)}, so slow
 * processing shows as counted {@link #queueDrops()} instead of stalling the kernel ring. Needs root or
 * CAP_NET_RAW.
 *
 * <p>Not immediate mode: libpcap would switch to TPACKET_V2 with fixed snap-length-sized frames (a 64 MiB
 * ring then holds only 256 packets of 256 KiB) and drop under load; the TPACKET_V3 ring packs packets into
 * blocks handed over when full or after the 20 ms read timeout (the worst-case added latency).
 */
public final class LiveCapture implements AutoCloseable {

    /** A packet as the capture thread queued it. */
    private record Captured(byte[] data, long timestampNanos, int originalLength) {
    }

    private final String iface;
    private final PcapHandle handle;
    private final LinkType linkType;
    private final BlockingQueue<Captured> queue;
    private final AtomicLong queueDrops = new AtomicLong();
    private final AtomicLong captured = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;
    private volatile PcapStat lastStats;

    /**
     * Opens {@code iface} and applies {@code filter} (empty: everything).
     *
     * @throws CaptureException naming the interface when it does not exist, cannot be opened (permissions),
     *     has an unsupported link type, or the filter does not compile
     */
    public LiveCapture(String iface, String filter, int snaplen, int kernelBufferBytes, int queuePackets)
            throws CaptureException {
        this.iface = iface;
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(iface);
            if (nif == null) {
                throw new CaptureException("no such capture interface '" + iface + "'");
            }
            handle = openHandle(iface, snaplen, kernelBufferBytes);
            int dlt = handle.getDlt().value();
            linkType = LinkType.of(dlt);
            if (linkType == null) {
                handle.close();
                throw new CaptureException("interface '" + iface + "' has unsupported link type " + dlt);
            }
            if (filter != null && !filter.isBlank()) {
                try {
                    handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
                } catch (PcapNativeException | NotOpenException e) {
                    handle.close();
                    throw new CaptureException("bad capture filter '" + filter + "': " + e.getMessage());
                }
            }
        } catch (PcapNativeException e) {
            throw new CaptureException("cannot open interface '" + iface + "': " + e.getMessage()
                + " (capturing needs root or CAP_NET_RAW)");
        }
        queue = new ArrayBlockingQueue<>(queuePackets);
        thread = new Thread(this::loop, "ncp-capture-" + iface);
        thread.setDaemon(true);
    }

    private static PcapHandle openHandle(String iface, int snaplen, int bufferBytes) throws PcapNativeException {
        PcapHandle.Builder b = new PcapHandle.Builder(iface).snaplen(snaplen)
            .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).timeoutMillis(20)
            .bufferSize(bufferBytes).immediateMode(false);
        try {
            return b.timestampPrecision(PcapHandle.TimestampPrecision.NANO).build();
        } catch (PcapNativeException e) {
            return b.timestampPrecision(PcapHandle.TimestampPrecision.MICRO).build();
        }
    }

    public LinkType linkType() {
        return linkType;
    }

    /** Starts capturing (on its own thread). */
    public void start() {
        thread.start();
    }

    private void loop() {
        try {
            handle.loop(-1, (byte[] packet) -> {
                Timestamp ts = handle.getTimestamp();
                long nanos = Math.floorDiv(ts.getTime(), 1000) * 1_000_000_000L + ts.getNanos();
                Integer orig = handle.getOriginalLength();
                captured.incrementAndGet();
                if (!queue.offer(new Captured(packet, nanos, orig == null ? packet.length : orig))) {
                    queueDrops.incrementAndGet();
                }
            });
        } catch (InterruptedException e) {
            // breakLoop() was called: normal stop
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            failure = e;
        }
    }

    /**
     * Takes the next captured packet, waiting up to {@code timeoutMillis}.
     *
     * @return false when none arrived in time
     * @throws CaptureException when the capture thread failed
     */
    public boolean poll(RawPacket into, long timeoutMillis) throws CaptureException, InterruptedException {
        Captured c = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (c == null) {
            if (failure != null) {
                throw new CaptureException("capture on '" + iface + "' failed: " + failure);
            }
            return false;
        }
        into.data = c.data();
        into.offset = 0;
        into.length = c.data().length;
        into.originalLength = c.originalLength();
        into.timestampNanos = c.timestampNanos();
        into.linkType = linkType;
        into.fileOffset = -1;
        return true;
    }

    /** Packets the capture thread received from libpcap. */
    public long captured() {
        return captured.get();
    }

    /** Packets dropped because the owner thread fell behind (queue full). */
    public long queueDrops() {
        return queueDrops.get();
    }

    /** libpcap's counters (received, dropped by the kernel, dropped by the interface); null if unavailable. */
    public PcapStat pcapStats() {
        try {
            lastStats = handle.getStats();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            // closed or unsupported: keep the last values
        }
        return lastStats;
    }

    /** Stops the capture thread and closes the handle; packets still queued can be polled afterwards. */
    @Override
    public void close() throws IOException {
        try {
            if (thread.isAlive()) {
                pcapStats();
                handle.breakLoop();
                thread.join(5000);
            }
        } catch (NotOpenException e) {
            // already closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pcapStats();
            handle.close();
        }
    }
}
