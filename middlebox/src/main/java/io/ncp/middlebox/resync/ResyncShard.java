package io.ncp.middlebox.resync;

import io.ncp.middlebox.replica.ReplicaSide;
import io.ncp.middlebox.ring.ShardRing;
import io.netty.channel.EventLoop;

/** What a resync needs of one shard: its loops, its ring and its replica side. */
public interface ResyncShard {

    /** The loop that owns the shard's client and primary channels and produces its ring. */
    EventLoop frontLoop();

    /** The loop that consumes the ring and owns the replica channels. */
    EventLoop replicaLoop();

    ShardRing ring();

    ReplicaSide replicaSide();
}
