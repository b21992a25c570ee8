package io.ncp.middlebox.frontend;

import io.ncp.middlebox.core.ServiceRuntime;
import io.ncp.middlebox.core.Shard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.function.Function;

/** Sets up each accepted client channel of one service with a {@link ClientHandler} for its shard. */
public final class FrontendInitializer extends ChannelInitializer<Channel> {

    private final ServiceRuntime service;
    private final Function<Channel, Shard> shardOf;
    private final PrimaryConnector connector;

    public FrontendInitializer(ServiceRuntime service, Function<Channel, Shard> shardOf, PrimaryConnector connector) {
        this.service = service;
        this.shardOf = shardOf;
        this.connector = connector;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new ClientHandler(service, shardOf.apply(ch), connector.forClient(ch)));
    }
}
