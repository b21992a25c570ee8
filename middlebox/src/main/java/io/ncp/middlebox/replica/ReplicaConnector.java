package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.ReplicaConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

/** Opens replica connections on the replica side's own event loop (tests substitute in-JVM channels). */
@FunctionalInterface
public interface ReplicaConnector {

    /** Connects to {@code replica} (from its local bind address, if any) on {@code loop}; channel gets handler. */
    ChannelFuture connect(EventLoop loop, ReplicaConfig replica, ChannelHandler handler);
}
