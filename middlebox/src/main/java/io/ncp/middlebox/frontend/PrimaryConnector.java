package io.ncp.middlebox.frontend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

/** Makes the bootstrap for a primary connection on the client's own event loop (shared options, one place). */
@FunctionalInterface
public interface PrimaryConnector {

    /** A bootstrap on {@code loop} whose channel gets {@code handler}. */
    Bootstrap bootstrap(EventLoop loop, ChannelHandler handler);
}
