package io.ncp.middlebox.core;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Transparency;
import io.ncp.middlebox.frontend.PrimaryConnector;
import io.ncp.middlebox.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IP_TRANSPARENT sockets of one service ({@link Transparency}): the listener's option, and with
 * {@code spoofClient} the primary connection bound to the client's own address. Made once per service by
 * {@link #of} (which checks that this process can set the option: epoll transport, CAP_NET_ADMIN or CAP_NET_RAW);
 * for a service that is not transparent every method leaves its argument as it is. Immutable, any thread.
 *
 * <p>The host delivers the sessions: a TPROXY rule hands the packets addressed to the primary to the transparent
 * listener, a fwmark rule routes them (and, for {@code spoofClient}, the primary's answers to the client's address)
 * to the local stack. {@link TproxyRecipe} writes those commands; {@link #bound} logs them.
 */
final class TransparentFront {

    private static final Logger LOG = LoggerFactory.getLogger(TransparentFront.class);
    private static final int SOL_IP = 0;
    private static final int IP_TRANSPARENT = 19;
    private static final TransparentFront OFF = new TransparentFront(null, Transparency.NONE);

    private final ServiceConfig config;
    private final Transparency mode;

    private TransparentFront(ServiceConfig config, Transparency mode) {
        this.config = config;
        this.mode = mode;
    }

    /**
     * The transparent sockets of {@code cfg}, after checking that this process can make them.
     *
     * @throws ConfigException naming {@code services.<name>.transparent} (or {@code .spoofClient}): not the epoll
     *                         transport, or the kernel refused IP_TRANSPARENT (no CAP_NET_ADMIN / CAP_NET_RAW)
     */
    static TransparentFront of(ServiceConfig cfg, Transport transport) {
        if (!cfg.transparency().transparent()) {
            return OFF;
        }
        String field = field(cfg);
        if (transport != Transport.EPOLL) {
            throw new ConfigException(field, "IP_TRANSPARENT needs the native epoll transport, which is not in use ("
                + (Transport.whyNotEpoll() != null ? Transport.whyNotEpoll() : "-Dncp.transport=nio") + ")");
        }
        Socket probe = Socket.newSocketStream();
        try {
            ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 1);
            probe.setRawOpt(SOL_IP, IP_TRANSPARENT, one);
        } catch (IOException | ChannelException e) { // Netty reports a refused setsockopt as ChannelException
            throw new ConfigException(field, "cannot set IP_TRANSPARENT: " + e.getMessage() + " (needs CAP_NET_ADMIN "
                + "or CAP_NET_RAW: run as root or grant the capability, e.g. docker --cap-add NET_ADMIN)");
        } finally {
            try {
                probe.close();
            } catch (IOException ignored) {
                // a probe socket that never connected
            }
        }
        return new TransparentFront(cfg, cfg.transparency());
    }

    private static String field(ServiceConfig cfg) {
        return "services." + cfg.name() + "." + (cfg.transparency() == Transparency.SPOOF_CLIENT ? "spoofClient"
            : "transparent");
    }

    /** {@code b} with a transparent listener when the service is transparent. */
    ServerBootstrap listener(ServerBootstrap b) {
        return mode.transparent() ? b.option(EpollChannelOption.IP_TRANSPARENT, true) : b;
    }

    /**
     * {@code base}, or for {@code spoofClient} a connector whose bootstraps bind each client's primary connection to
     * that client's IP address (any free port) on an IP_TRANSPARENT socket.
     */
    PrimaryConnector primary(PrimaryConnector base) {
        if (mode != Transparency.SPOOF_CLIENT) {
            return base;
        }
        return new PrimaryConnector() {
            @Override
            public Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
                return base.bootstrap(loop, handler);
            }

            @Override
            public PrimaryConnector forClient(Channel client) {
                InetAddress ip = ((InetSocketAddress) client.remoteAddress()).getAddress();
                return (loop, handler) -> base.bootstrap(loop, handler)
                    .option(EpollChannelOption.IP_TRANSPARENT, true)
                    .localAddress(new InetSocketAddress(ip, 0));
            }
        };
    }

    /**
     * After the listener is bound: checks that the kernel kept IP_TRANSPARENT on it (else closes it and throws) and,
     * with {@code logRecipe} (once per service: its listening sockets share one address), logs the host rules that
     * deliver the sessions to it.
     *
     * @throws IllegalStateException when the bound listener is not transparent
     */
    void bound(Channel listener, boolean logRecipe) {
        if (!mode.transparent()) {
            return;
        }
        if (!Boolean.TRUE.equals(listener.config().getOption(EpollChannelOption.IP_TRANSPARENT))) {
            listener.close().awaitUninterruptibly();
            throw new IllegalStateException("service " + config.name() + ": the listener " + listener.localAddress()
                + " is not IP_TRANSPARENT after bind");
        }
        if (!logRecipe) {
            return;
        }
        LOG.info("service {}: transparent listener on {}{}; this host must hand it the sessions addressed to {} "
            + "(once, as root):\n{}", config.name(), listener.localAddress(), mode == Transparency.SPOOF_CLIENT
            ? ", primary connections from each client's own address (the primary's answers to the clients must be "
            + "routed to this host)" : "", config.primary(),
            TproxyRecipe.commands(config.name(), config.primary(), (InetSocketAddress) listener.localAddress()));
    }
}
