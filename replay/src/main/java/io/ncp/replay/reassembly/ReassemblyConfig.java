package io.ncp.replay.reassembly;

import java.time.Duration;
import java.util.Set;

/**
 * Reassembly settings, each with its default.
 *
 * @param idleTimeout a flow without packets for this long (capture time) is closed with
 *     {@link CloseReason#IDLE}; default 120 s
 * @param maxBufferedPerFlow out-of-order bytes held per flow (both directions) before the oldest hole is
 *     declared a gap; default 4 MiB
 * @param maxBufferedTotal out-of-order bytes held across all flows; default 256 MiB
 * @param maxFlows flows tracked at once (open and recently closed) before the least recently active is
 *     evicted; default 1,000,000
 * @param serverPorts ports known to be server ports (orient mid-stream flows); default none
 * @param firstFlowId id of the first flow (a journal opened for appending continues its numbering)
 */
public record ReassemblyConfig(Duration idleTimeout, long maxBufferedPerFlow, long maxBufferedTotal, int maxFlows,
        Set<Integer> serverPorts, long firstFlowId) {

    public static ReassemblyConfig defaults() {
        return new ReassemblyConfig(Duration.ofSeconds(120), 4L << 20, 256L << 20, 1_000_000, Set.of(), 1);
    }

    public ReassemblyConfig withIdleTimeout(Duration d) {
        return new ReassemblyConfig(d, maxBufferedPerFlow, maxBufferedTotal, maxFlows, serverPorts, firstFlowId);
    }

    public ReassemblyConfig withBufferLimits(long perFlow, long total) {
        return new ReassemblyConfig(idleTimeout, perFlow, total, maxFlows, serverPorts, firstFlowId);
    }

    public ReassemblyConfig withMaxFlows(int n) {
        return new ReassemblyConfig(idleTimeout, maxBufferedPerFlow, maxBufferedTotal, n, serverPorts, firstFlowId);
    }

    public ReassemblyConfig withServerPorts(Set<Integer> ports) {
        return new ReassemblyConfig(idleTimeout, maxBufferedPerFlow, maxBufferedTotal, maxFlows, Set.copyOf(ports),
            firstFlowId);
    }

    public ReassemblyConfig withFirstFlowId(long id) {
        return new ReassemblyConfig(idleTimeout, maxBufferedPerFlow, maxBufferedTotal, maxFlows, serverPorts, id);
    }
}
