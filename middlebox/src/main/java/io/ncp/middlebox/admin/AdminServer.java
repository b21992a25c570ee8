package io.ncp.middlebox.admin;

import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.core.Middlebox;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The admin HTTP server: one NIO thread of its own, never on the data path's loops. */
public final class AdminServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code address} (port 0 = any free port).
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static AdminServer start(HostPort address, Middlebox middlebox) {
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("ncp-admin", true));
        ChannelFuture f = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new AdminHandler(middlebox));
                }
            }).bind(address.toAddress()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("admin: cannot listen on " + address + ": " + f.cause().getMessage(),
                f.cause());
        }
        return new AdminServer(group, f.channel());
    }

    /** The bound address (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
