package io.ncp.middlebox.core;

import io.ncp.middlebox.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Binds a service's listening sockets. With the epoll transport and more than one front loop: one socket per front
 * loop, all on the same address with {@code SO_REUSEPORT}, each accepting on its own loop and keeping its sessions
 * there (the kernel spreads new connections over the sockets by their addresses' hash). A session then starts in the
 * loop iteration that accepted it, without waking another thread (the accept hand-off of docs/perf/README.md).
 * Otherwise (NIO, one loop, {@code -Dncp.reusePort=false}): one socket whose sessions go round-robin to the loops.
 *
 * <p>{@code SO_REUSEPORT} would also let a second process of the same user bind the same port and silently take half
 * of the connections; so before binding a port of its own choosing the middlebox binds it once without the option
 * (which fails while anyone listens there) and releases it. Called with the middlebox's lock held.
 */
final class FrontListeners {

    /** Set {@code -Dncp.reusePort=false} for one listening socket per service (sessions spread round-robin). */
    static final boolean REUSE_PORT = !"false".equals(System.getProperty("ncp.reusePort"));

    private FrontListeners() {
    }

    /** Whether a service's listener is one socket per front loop. */
    static boolean perLoop(Transport transport, int loops) {
        return REUSE_PORT && transport == Transport.EPOLL && loops > 1;
    }

    /**
     * Binds {@code address} with the bootstraps {@code bootstrap} makes for an acceptor group and a session group
     * (handlers and options set: one call per socket, so that a handler of the listener is its own).
     *
     * @return the bound channels, the first one's address the service's (its real port when the config said 0)
     * @throws IllegalStateException when a socket cannot be bound (those bound already are closed again)
     */
    static List<Channel> bind(BiFunction<EventLoopGroup, EventLoopGroup, ServerBootstrap> bootstrap,
            EventLoopGroup fronts, Transport transport, InetSocketAddress address) {
        List<EventLoop> loops = new ArrayList<>();
        fronts.forEach(e -> loops.add((EventLoop) e));
        if (!perLoop(transport, loops.size())) {
            ChannelFuture f = bootstrap.apply(fronts, fronts).bind(address).awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new IllegalStateException(f.cause().getMessage(), f.cause());
            }
            return List.of(f.channel());
        }
        if (address.getPort() != 0) {
            checkFree(address);
        }
        List<Channel> bound = new ArrayList<>();
        InetSocketAddress at = address;
        for (EventLoop loop : loops) {
            ChannelFuture f = bootstrap.apply(loop, loop).option(EpollChannelOption.SO_REUSEPORT, true).bind(at)
                .awaitUninterruptibly();
            if (!f.isSuccess()) {
                close(bound);
                throw new IllegalStateException(f.cause().getMessage(), f.cause());
            }
            bound.add(f.channel());
            at = (InetSocketAddress) f.channel().localAddress(); // the port the kernel chose for the first one
        }
        return List.copyOf(bound);
    }

    /**
     * Fails when something listens on {@code address} already (even with SO_REUSEPORT of its own). A plain socket is
     * bound, never listening: a server socket would listen for a moment, and a client connecting then (a readiness
     * probe, a client of a restarted middlebox) would be reset when it closes.
     */
    private static void checkFree(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true);
            s.bind(address);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage() + " (something listens there already)", e);
        }
    }

    static void close(List<Channel> channels) {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly();
        }
    }
}
