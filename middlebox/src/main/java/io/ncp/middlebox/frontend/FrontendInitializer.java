package io.ncp.middlebox.frontend;

import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each accepted client channel of one listener with a {@link ClientHandler} for its shard and the service
 * settings current at accept time (a replacement on the same address changes them for new sessions only). A client
 * the service cannot admit ({@code maxSessions}, descriptor budget) is reset at once, counted and logged sparsely.
 * A service with TLS towards its clients gets the {@code tls} package's gate first: the session starts only once the
 * client's TLS session is up.
 */
public final class FrontendInitializer extends ChannelInitializer<Channel> {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendInitializer.class);

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
        ServiceRuntime svc = service.get();
        if (!svc.admit()) {
            long n = svc.stats().refused.sum();
            if (LogLimit.sparse(n)) {
                LOG.warn("{}: refused client {}: {} (refused so far: {})", svc.name(), ch.remoteAddress(),
                    svc.refusalReason(), n);
            }
            Channels.reset(ch);
            return;
        }
        ChannelHandler tlsGate = svc.tls() == null ? null : svc.tls().clientGate(ch, svc::sessionClosed);
        if (tlsGate != null) {
            ch.pipeline().addLast(tlsGate); // the session starts once the client's TLS is up
        }
        ch.pipeline().addLast(new ClientHandler(svc, shardOf.apply(ch), connector.forClient(ch)));
    }
}
