package io.ncp.middlebox.frontend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

/** Makes the bootstrap for a primary connection on the client's own event loop (shared options, one place). */
@FunctionalInterface
public interface PrimaryConnector {

    /** A bootstrap on {@code loop} whose channel gets {@code handler}. */
    Bootstrap bootstrap(EventLoop loop, ChannelHandler handler);

    /**
     * The connector for the sessions of the accepted {@code client} channel, called once per client on its loop before
     * its handler is added. This one by default; a connector whose bootstraps depend on the client (the primary
     * connection made from the client's own address, {@code spoofClient}) returns one bound to it.
     */
    default PrimaryConnector forClient(Channel client) {
        return this;
    }
}
