package io.ncp.replay.reassembly;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ncp.replay.decode.TcpPacket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Fuzz target for {@link TcpReassembler} (docs/fuzzing.md): a fuzzed configuration (tiny buffer caps, few flows,
 * short idle timeout) and a fuzzed sequence of segments on three connections (either side, any flags, sequence
 * and acknowledgement numbers near each side's initial number or anywhere, payloads cut by a "snap length",
 * timestamps jumping forwards and back, idle ticks).
 *
 * <p>Oracle ({@link ContractListener}): the listener contract holds throughout (open first, contiguous offsets,
 * one close per direction, nothing after it), every delivered byte is its sender's byte at that stream position,
 * bytes the capture lost only ever appear as gaps, and after {@code finish()} every flow is closed both ways,
 * nothing is held and the counters match what was delivered. No exception may escape.
 */
class TcpReassemblerFuzzTest {

    private static final int CONNECTIONS = 3;
    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 6379;
    private static final int MAX_SEGMENTS = 256;

    @FuzzTest(maxDuration = "8s")
    void segments(FuzzedDataProvider data) {
        ReassemblyConfig config = ReassemblyConfig.defaults()
            .withIdleTimeout(Duration.ofMillis(data.consumeInt(1, 10_000)))
            .withBufferLimits(data.consumeLong(1, 1 << 16), data.consumeLong(1, 1 << 17))
            .withMaxFlows(data.consumeInt(1, 4))
            .withServerPorts(data.consumeBoolean() ? Set.of(SERVER_PORT) : Set.of());
        Map<Integer, Set<Integer>> starts = new HashMap<>();
        int[] isn = new int[2 * CONNECTIONS];
        for (int i = 0; i < isn.length; i++) {
            isn[i] = data.consumeInt();
            starts.put(port(i), new HashSet<>());
        }
        ContractListener out = new ContractListener(starts::get);
        TcpReassembler r = new TcpReassembler(config, out);
        long ts = 1_000_000_000L;
        for (int i = 0; i < MAX_SEGMENTS && data.remainingBytes() > 0; i++) {
            int conn = data.consumeInt(0, CONNECTIONS - 1);
            boolean fromClient = data.consumeBoolean();
            int sender = 2 * conn + (fromClient ? 0 : 1);
            int receiver = 2 * conn + (fromClient ? 1 : 0);
            int flags = data.consumeInt(0, 0x3F);
            int rel = data.consumeInt(0, 7) == 0 ? data.consumeInt() : data.consumeInt(-3000, 70_000);
            int ack = isn[receiver] + (data.consumeInt(0, 7) == 0 ? data.consumeInt() : data.consumeInt(-3000, 70_000));
            int length = data.consumeInt(0, 1460);
            int lost = data.consumeBoolean() ? data.consumeInt(1, 3000) : 0;
            ts += data.consumeInt(0, 15) == 0 ? data.consumeLong(-5_000_000_000L, 60_000_000_000L)
                : data.consumeInt(0, 2_000_000);
            boolean syn = (flags & TcpPacket.SYN) != 0;
            int dataRel = syn ? rel + 1 : rel;
            starts.get(port(sender)).add(dataRel);
            r.segment(packet(conn, fromClient, isn[sender] + rel, ack, flags, dataRel, length, lost, ts));
            if (data.consumeInt(0, 7) == 0) {
                r.advanceTime(ts);
            }
        }
        r.finish();
        out.checkFinished(r);
    }

    /** Port of endpoint {@code i}: even = a connection's client, odd = its server; all distinct. */
    private static int port(int i) {
        return (i % 2 == 0 ? CLIENT_PORT : SERVER_PORT) + i / 2;
    }

    private static TcpPacket packet(int conn, boolean fromClient, int seq, int ack, int flags, int dataRel,
            int length, int lost, long ts) {
        TcpPacket p = new TcpPacket();
        p.timestampNanos = ts;
        p.ipVersion = 4;
        byte[] c = {10, 0, 0, (byte) (1 + conn)};
        byte[] s = {10, 0, 1, (byte) (1 + conn)};
        System.arraycopy(fromClient ? c : s, 0, p.srcAddr, 0, 4);
        System.arraycopy(fromClient ? s : c, 0, p.dstAddr, 0, 4);
        p.srcPort = fromClient ? CLIENT_PORT + conn : SERVER_PORT + conn;
        p.dstPort = fromClient ? SERVER_PORT + conn : CLIENT_PORT + conn;
        p.seq = seq;
        p.ack = ack;
        p.flags = flags;
        // the payload sits between foreign bytes, as in a captured frame; the lost part is not in the frame at all
        int head = 54;
        byte[] frame = new byte[head + length + 4];
        for (int k = 0; k < frame.length; k++) {
            frame[k] = (byte) ~ContractListener.patternByte(dataRel - head + k);
        }
        for (int k = 0; k < length; k++) {
            frame[head + k] = ContractListener.patternByte(dataRel + k);
        }
        p.frame = frame;
        p.payloadOffset = head;
        p.payloadLength = length;
        p.declaredPayloadLength = length + lost;
        return p;
    }
}
