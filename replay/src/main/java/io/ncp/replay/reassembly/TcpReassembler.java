package io.ncp.replay.reassembly;

import io.ncp.replay.decode.TcpPacket;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reassembles the TCP flows of a packet stream and reports them to one {@link StreamListener}.
 *
 * <p>Feed it decoded segments in capture order with {@link #segment(TcpPacket)}; call {@link #advanceTime(long)}
 * when time passes without packets (live capture) and {@link #finish()} at the end of the input. Idle flows
 * are expired on capture time, so a capture file reassembles identically on every run.
 *
 * <p>Flows are tracked from their first SYN, or mid-stream from their first segment carrying data; pure
 * ACKs, FINs and RSTs of unknown flows are ignored. A closed flow stays tracked until it idles out so that
 * late retransmissions are recognised; a new SYN with another sequence number on the same addresses and
 * ports closes the old flow ({@link CloseReason#REUSED}) and opens a new one.
 *
 * <p>Threading: not thread-safe; the calling thread is the owner of every flow and makes every listener call.
 */
public final class TcpReassembler {

    private static final long EXPIRY_CHECK_NANOS = 1_000_000_000L;

    private final ReassemblyConfig config;
    private final StreamListener listener;
    private final ReassemblyStats stats = new ReassemblyStats();
    private final LinkedHashMap<FlowKey, FlowState> flows = new LinkedHashMap<>(1024, 0.75f, true);
    private final FlowKey probe = new FlowKey();
    private final long idleNanos;
    private long nextFlowId;
    private long now;
    private long nextExpiryCheck;

    public TcpReassembler(ReassemblyConfig config, StreamListener listener) {
        this.config = config;
        this.listener = listener;
        this.idleNanos = config.idleTimeout().toNanos();
        this.nextFlowId = config.firstFlowId();
    }

    public ReassemblyStats stats() {
        return stats;
    }

    StreamListener listener() {
        return listener;
    }

    /** Flows currently tracked (open or lingering after close). */
    public int trackedFlows() {
        return flows.size();
    }

    /** Handles one decoded TCP segment; its payload is read during this call only. */
    public void segment(TcpPacket p) {
        stats.segments++;
        advanceTime(p.timestampNanos);
        boolean srcIsA = probe.set(p);
        FlowState state = flows.get(probe);
        boolean syn = p.has(TcpPacket.SYN);
        boolean pureSyn = syn && !p.has(TcpPacket.ACK);
        if (state != null && pureSyn) {
            HalfStream c2s = state.half(Direction.CLIENT_TO_SERVER);
            boolean sameClient = state.clientIsA == srcIsA;
            boolean retransmit = sameClient && c2s.synSeen() && c2s.initialSeq() == p.seq + 1;
            if (!retransmit && (state.fullyClosed() || sameClient || !c2s.synSeen())) {
                state.close(CloseReason.REUSED, p.timestampNanos);
                flows.remove(state.key);
                state = null;
            }
        }
        if (state == null) {
            if (!syn && p.payloadLength == 0 && p.declaredPayloadLength == 0) {
                stats.ignored++;
                return;
            }
            if (p.has(TcpPacket.RST)) {
                stats.ignored++;
                return;
            }
            state = open(p, srcIsA);
        }
        Direction d = state.clientIsA == srcIsA ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
        state.segment(d, p);
    }

    /** Moves capture time forward (never back) and closes flows idle for longer than the timeout. */
    public void advanceTime(long nowNanos) {
        if (nowNanos > now) {
            now = nowNanos;
        }
        if (now >= nextExpiryCheck) {
            nextExpiryCheck = now + EXPIRY_CHECK_NANOS;
            expireIdle();
        }
    }

    /** Ends the input: every tracked flow is closed ({@link CloseReason#END} for open directions) and dropped. */
    public void finish() {
        for (FlowState s : flows.values()) {
            s.close(CloseReason.END, now);
        }
        flows.clear();
    }

    private FlowState open(TcpPacket p, boolean srcIsA) {
        if (flows.size() >= config.maxFlows()) {
            Iterator<FlowState> eldest = flows.values().iterator();
            FlowState victim = eldest.next();
            eldest.remove();
            victim.close(CloseReason.EVICTED, now);
        }
        boolean syn = p.has(TcpPacket.SYN);
        boolean srcIsClient;
        if (syn) {
            srcIsClient = !p.has(TcpPacket.ACK);
        } else if (config.serverPorts().contains(p.dstPort) != config.serverPorts().contains(p.srcPort)) {
            srcIsClient = config.serverPorts().contains(p.dstPort);
        } else {
            srcIsClient = p.srcPort > p.dstPort || (p.srcPort == p.dstPort && srcIsA);
        }
        int len = p.addrLength();
        Endpoint src = Endpoint.of(p.srcAddr, len, p.srcPort);
        Endpoint dst = Endpoint.of(p.dstAddr, len, p.dstPort);
        Flow flow = new Flow(nextFlowId++, srcIsClient ? src : dst, srcIsClient ? dst : src, !syn, p.timestampNanos);
        FlowState state = new FlowState(this, probe.copy(), flow, srcIsClient == srcIsA);
        state.lastSeenNanos = p.timestampNanos;
        flows.put(state.key, state);
        stats.flowsOpened++;
        listener.onOpen(flow);
        return state;
    }

    private void expireIdle() {
        Iterator<Map.Entry<FlowKey, FlowState>> it = flows.entrySet().iterator();
        while (it.hasNext()) {
            FlowState s = it.next().getValue();
            if (now - s.lastSeenNanos < idleNanos) {
                break; // access order: the rest were active more recently
            }
            it.remove();
            s.close(CloseReason.IDLE, now);
        }
    }

    void buffered(long delta) {
        stats.bufferedBytes += delta;
        if (stats.bufferedBytes > stats.maxBufferedBytes) {
            stats.maxBufferedBytes = stats.bufferedBytes;
        }
    }

    /** Applies the per-flow cap to {@code state}, then the global cap, oldest-active flows first. */
    void enforceCaps(FlowState state, long ts) {
        while (state.bufferedBytes() > config.maxBufferedPerFlow() && state.shrinkOnce(ts)) {
            // each round reports the oldest hole as a gap and delivers what follows it
        }
        if (stats.bufferedBytes <= config.maxBufferedTotal()) {
            return;
        }
        while (stats.bufferedBytes > config.maxBufferedTotal() && state.shrinkOnce(ts)) {
            // the flow that just grew gives up first
        }
        for (FlowState s : flows.values()) {
            while (stats.bufferedBytes > config.maxBufferedTotal() && s.shrinkOnce(ts)) {
                // then the least recently active ones
            }
            if (stats.bufferedBytes <= config.maxBufferedTotal()) {
                return;
            }
        }
    }
}
