package io.ncp.middlebox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.MiddleboxConfig;
import io.ncp.middlebox.config.ReplicaConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The socket options every connection gets, read back from the kernel (getsockopt on real loopback sockets): the
 * connection to the primary, to a replica, and one accepted from a client. TCP_NODELAY is Netty's default and
 * {@link Connectors} no longer sets it; this is what says it is still on.
 */
class ConnectorsTest {

    private static final ChannelInboundHandlerAdapter NOTHING = new ChannelInboundHandlerAdapter() {
        @Override
        public boolean isSharable() {
            return true;
        }
    };

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyConnectionHasNoDelayAndHalfClosure(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll is not available here");
        Connectors connectors = new Connectors(transport, MiddleboxConfig.defaults(List.of()));
        EventLoopGroup group = transport.group(1, new DefaultThreadFactory("connectors-test", true));
        try (ServerSocket peer = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            HostPort peerAddress = new HostPort("127.0.0.1", peer.getLocalPort());

            Channel primary = connectors.primary(group.next(), NOTHING).connect(peerAddress.toAddress())
                .sync().channel();
            Channel replica = connectors.connectReplica(group.next(), new ReplicaConfig(peerAddress, null), NOTHING)
                .sync().channel();

            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            Channel listener = connectors.server(group, group, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    accepted.complete(ctx.channel());
                }

                @Override
                public boolean isSharable() {
                    return true;
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort())) {
                Channel front = accepted.get(10, TimeUnit.SECONDS);
                for (Channel ch : List.of(primary, replica, front)) {
                    assertThat(option(ch, ChannelOption.TCP_NODELAY)).as("TCP_NODELAY of %s", ch).isTrue();
                    assertThat(option(ch, ChannelOption.ALLOW_HALF_CLOSURE)).as("half-closure of %s", ch).isTrue();
                }
                assertThat(option(front, ChannelOption.AUTO_READ)).as("a client is read once its primary is up")
                    .isFalse();
                front.close().sync();
            } finally {
                primary.close().sync();
                replica.close().sync();
                listener.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** The option as the channel reads it: for TCP_NODELAY a getsockopt(2) on the live socket, on its loop. */
    private static <T> T option(Channel ch, ChannelOption<T> option) throws Exception {
        return ch.eventLoop().submit(() -> ch.config().getOption(option)).get(10, TimeUnit.SECONDS);
    }
}
