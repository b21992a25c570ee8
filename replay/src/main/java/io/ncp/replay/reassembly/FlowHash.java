package io.ncp.replay.reassembly;

import io.ncp.replay.decode.TcpPacket;

/**
 * A direction-independent hash of a segment's addresses and ports: both directions of a flow hash alike, so
 * a capture thread can spread packets over several reassemblers (one per owner thread / shard) with
 * {@code Math.floorMod(FlowHash.of(p), shards)} and every flow stays with one owner.
 */
public final class FlowHash {

    private FlowHash() {
    }

    public static int of(TcpPacket p) {
        FlowKey k = new FlowKey();
        k.set(p);
        int h = k.hashCode();
        return h ^ (h >>> 16);
    }
}
