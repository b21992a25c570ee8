package io.ncp.middlebox.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of the capture front-end (mirror mode). The adders are updated by the capture thread and the shard loops;
 * the libpcap counters are copied in by the capture thread ({@link #pcap}), so readers never call into libpcap.
 * Thread-safe.
 */
public final class CaptureStats {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is captured, e.g. {@code lo (tcp port 6379)} or {@code file x.pcap}. */
    private final String source;
    /** Frames read from the capture. */
    public final LongAdder packets = new LongAdder();
    /** Frames that were not TCP over IP (not decoded). */
    public final LongAdder notTcp = new LongAdder();
    /** Frames dropped because a shard's packet queue was full (the shard fell behind). */
    public final LongAdder shardQueueDrops = new LongAdder();
    /** Flows whose server matched no mirrored service (ignored). */
    public final LongAdder unmatchedFlows = new LongAdder();
    /** Payload bytes seen more than once (retransmissions, duplicated captures). */
    public final LongAdder duplicateBytes = new LongAdder();
    /** Reassembly gaps (both directions) and the bytes they cover. */
    public final LongAdder gaps = new LongAdder();
    public final LongAdder gapBytes = new LongAdder();
    private volatile long pcapReceived;
    private volatile long pcapDropped;
    private volatile long pcapIfDropped;
    private volatile long captureQueueDrops;
    private volatile LongSupplier queued = () -> 0;

    public CaptureStats(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    /**
     * Latest libpcap counters and capture-queue drops (capture thread only).
     *
     * @param received   packets the kernel saw (on {@code lo} each packet counts twice: sent and received)
     * @param dropped    packets dropped by the kernel (capture buffer full)
     * @param ifDropped  packets dropped by the interface
     * @param queueDrops packets dropped between libpcap and the dispatcher (queue full)
     */
    public void pcap(long received, long dropped, long ifDropped, long queueDrops) {
        pcapReceived = received;
        pcapDropped = dropped;
        pcapIfDropped = ifDropped;
        captureQueueDrops = queueDrops;
    }

    /** Where {@link #queued()} reads the frames waiting in the shard queues (set once by the front-end). */
    public void queuedGauge(LongSupplier gauge) {
        this.queued = gauge;
    }

    /** Frames captured and not yet reassembled (all shard queues): how far the shards are behind. */
    public long queued() {
        return queued.getAsLong();
    }

    /** Every packet the middlebox lost before reassembly: kernel, interface, capture queue and shard queues. */
    public long drops() {
        return pcapDropped + pcapIfDropped + captureQueueDrops + shardQueueDrops.sum();
    }

    /** The {@code capture} object of {@code /stats}. */
    public ObjectNode json() {
        ObjectNode o = JSON.createObjectNode().put("source", source).put("packets", packets.sum());
        o.put("pcapReceived", pcapReceived).put("pcapDropped", pcapDropped).put("pcapIfDropped", pcapIfDropped);
        o.put("captureQueueDrops", captureQueueDrops).put("shardQueueDrops", shardQueueDrops.sum());
        o.put("queued", queued()).put("drops", drops()).put("notTcp", notTcp.sum());
        o.put("unmatchedFlows", unmatchedFlows.sum()).put("duplicateBytes", duplicateBytes.sum());
        return o.put("gaps", gaps.sum()).put("gapBytes", gapBytes.sum());
    }

    /** Appends the {@code ncp_capture_*} metrics. */
    public void prometheus(StringBuilder sb) {
        metric(sb, "packets", "frames read from the capture", packets.sum());
        metric(sb, "pcap_received_packets", "packets libpcap reports as received (twice per packet on lo)",
            pcapReceived);
        metric(sb, "pcap_dropped_packets", "packets the kernel dropped (capture buffer full)", pcapDropped);
        metric(sb, "interface_dropped_packets", "packets the interface dropped", pcapIfDropped);
        metric(sb, "queue_dropped_packets", "packets dropped in the middlebox (capture or shard queue full)",
            captureQueueDrops + shardQueueDrops.sum());
        metric(sb, "dropped_packets", "all packets lost before reassembly", drops());
        Prometheus.header(sb, "ncp_capture_queued_packets", "gauge", "frames waiting in the shard queues");
        sb.append("ncp_capture_queued_packets{source=\"").append(label()).append("\"} ").append(queued()).append('\n');
        metric(sb, "not_tcp_packets", "frames that were not TCP over IP", notTcp.sum());
        metric(sb, "unmatched_flows", "flows matching no mirrored service", unmatchedFlows.sum());
        metric(sb, "duplicate_bytes", "payload bytes seen more than once", duplicateBytes.sum());
        metric(sb, "gaps", "reassembly gaps (bytes the capture lost), both directions", gaps.sum());
        metric(sb, "gap_bytes", "bytes covered by reassembly gaps", gapBytes.sum());
    }

    private void metric(StringBuilder sb, String name, String help, long value) {
        String full = "ncp_capture_" + name + "_total";
        Prometheus.header(sb, full, "counter", help);
        sb.append(full).append("{source=\"").append(label()).append("\"} ").append(value).append('\n');
    }

    private String label() {
        return Prometheus.label(source);
    }

    /** The capture part of the terminal stats line. */
    public String line() {
        return "capture: pkts " + packets.sum() + " queued " + queued() + " drop " + drops() + " gaps " + gaps.sum();
    }
}
