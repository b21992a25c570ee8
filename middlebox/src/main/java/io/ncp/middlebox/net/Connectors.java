package io.ncp.middlebox.net;

import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;

/**
 * Socket options of every connection the middlebox makes or accepts, in one place. TCP_NODELAY is on for all of them
 * and is not set here: Netty's channel configs (epoll and NIO) already set it when a channel is made, and setting it
 * again was one more setsockopt(2) per channel, 2 % of the middlebox's CPU per short session (docs/perf/README.md).
 * ConnectorsTest reads it back from every kind of socket.
 */
public final class Connectors {

    /** Front channels stop reading from their peer above HIGH pending bytes, resume below LOW. */
    static final WriteBufferWaterMark FRONT_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);
    /** Replica channels never gate reads on writability; the backlog limit bounds them instead. */
    static final WriteBufferWaterMark REPLICA_WATER_MARK = new WriteBufferWaterMark(Integer.MAX_VALUE - 1,
        Integer.MAX_VALUE);

    /**
     * Largest single read on front channels: bigger reads mean fewer syscalls and ring events per byte (1 MiB read
     * +20-30% single-stream loopback throughput over Netty's 64 KiB, provisional); {@code -Dncp.maxRead} overrides.
     */
    static final int MAX_READ = Integer.getInteger("ncp.maxRead", 1 << 20);

    private final Transport transport;
    private final int connectTimeoutMillis;
    /** Null: the host's default congestion control. */
    private final CongestionControl congestion;

    /** @throws io.ncp.middlebox.config.ConfigException when the configured congestion control cannot be used */
    public Connectors(Transport transport, MiddleboxConfig config) {
        this.transport = transport;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
        this.congestion = CongestionControl.check(config.tcpCongestion(), transport);
    }

    /** The congestion control set on every connection, or null (the host's default). */
    public CongestionControl congestion() {
        return congestion;
    }

    public Bootstrap primary(EventLoop loop, ChannelHandler handler) {
        return new Bootstrap().group(loop).channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, FRONT_WATER_MARK)
            .option(ChannelOption.RCVBUF_ALLOCATOR, readAllocator())
            .handler(withCongestion(handler));
    }

    /**
     * {@code handler}, preceded on registration (before connect, or before the first read of an accepted channel) by
     * setting the congestion control. Not a bootstrap option: Netty consumes the option's buffer, and a bootstrap
     * hands the same value to every channel.
     */
    private ChannelHandler withCongestion(ChannelHandler handler) {
        if (congestion == null) {
            return handler;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                congestion.apply(ch);
                ch.pipeline().addLast(handler);
            }
        };
    }

    static AdaptiveRecvByteBufAllocator readAllocator() {
        return new AdaptiveRecvByteBufAllocator(512, 16384, MAX_READ);
    }

    public ChannelFuture connectReplica(EventLoop loop, ReplicaConfig replica, ChannelHandler handler) {
        return replica(loop, replica, handler).connect(replica.address().toAddress());
    }

    public Bootstrap replica(EventLoop loop, ReplicaConfig replica, ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(loop).channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, REPLICA_WATER_MARK)
            .handler(withCongestion(handler));
        if (replica.bind() != null) {
            b.localAddress(new InetSocketAddress(replica.bind(), 0));
        }
        return b;
    }

    public ServerBootstrap server(EventLoopGroup boss, EventLoopGroup workers, ChannelHandler childHandler) {
        return new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, FRONT_WATER_MARK)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, readAllocator())
            .childHandler(withCongestion(childHandler));
    }
}
