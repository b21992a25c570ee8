package io.ncp.middlebox.frontend;

import io.ncp.middlebox.service.ServiceRuntime;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sets up each accepted client channel of one listener with a {@link ClientHandler} for its shard and the service
 * settings current at accept time (a replacement on the same address changes them for new sessions only).
 */
public final class FrontendInitializer extends ChannelInitializer<Channel> {

    private final Supplier<ServiceRuntime> service;
    private final Function<Channel, FrontShard> shardOf;
    private final PrimaryConnector connector;

    public FrontendInitializer(Supplier<ServiceRuntime> service, Function<Channel, FrontShard> shardOf,
            PrimaryConnector connector) {
        this.service = service;
        this.shardOf = shardOf;
        this.connector = connector;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new ClientHandler(service.get(), shardOf.apply(ch), connector.forClient(ch)));
    }
}
