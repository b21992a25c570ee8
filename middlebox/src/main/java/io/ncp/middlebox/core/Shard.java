package io.ncp.middlebox.core;

import io.ncp.middlebox.frontend.FrontShard;
import io.ncp.middlebox.replica.ReplicaSide;
import io.ncp.middlebox.resync.ResyncShard;
import io.ncp.middlebox.ring.ShardRing;
import io.netty.channel.EventLoop;

/**
 * One shard: a front event loop (owns its client and primary channels and is the ring's only producer), a ring, and
 * a replica side drained on {@code replicaLoop} (the front loop itself, or a dedicated one).
 */
public final class Shard implements FrontShard, ResyncShard {

    private final int index;
    private final EventLoop frontLoop;
    private final EventLoop replicaLoop;
    private final ShardRing ring;
    private final ReplicaSide replicaSide;
    /** Front loop only. */
    private long nextSession;

    public Shard(int index, EventLoop frontLoop, EventLoop replicaLoop, ShardRing ring, ReplicaSide replicaSide) {
        this.index = index;
        this.frontLoop = frontLoop;
        this.replicaLoop = replicaLoop;
        this.ring = ring;
        this.replicaSide = replicaSide;
    }

    /** A session id unique in this middlebox (front loop only). */
    @Override
    public long newSessionId() {
        return (++nextSession << 10) | index;
    }

    public int index() {
        return index;
    }

    @Override
    public EventLoop frontLoop() {
        return frontLoop;
    }

    @Override
    public EventLoop replicaLoop() {
        return replicaLoop;
    }

    @Override
    public ShardRing ring() {
        return ring;
    }

    @Override
    public ReplicaSide replicaSide() {
        return replicaSide;
    }
}
