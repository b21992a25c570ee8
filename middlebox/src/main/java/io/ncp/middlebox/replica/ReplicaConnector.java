package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.ReplicaConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

/** Makes the bootstrap for a replica connection on the replica side's own event loop. */
@FunctionalInterface
public interface ReplicaConnector {

    /** A bootstrap on {@code loop} for {@code replica} (local bind address applied) whose channel gets handler. */
    Bootstrap bootstrap(EventLoop loop, ReplicaConfig replica, ChannelHandler handler);
}
