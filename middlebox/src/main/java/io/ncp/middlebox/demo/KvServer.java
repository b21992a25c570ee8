package io.ncp.middlebox.demo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's key-value server on 127.0.0.1 and a free port: one event loop, one {@link KvStore}, replies written
 * per command and flushed per read. {@code DIGEST} returns a digest of the whole dataset.
 */
public final class KvServer implements AutoCloseable, DemoServer {

    private final NioEventLoopGroup group;
    private final Channel channel;
    private final KvStore store = new KvStore();

    private KvServer() {
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("kv-server", true));
        ChannelFuture f = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new RespDecoder(), new CommandHandler());
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly();
        channel = f.channel();
    }

    public static KvServer start() {
        return new KvServer();
    }

    @Override
    public String hostPort() {
        return "127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public String digest() {
        return group.next().submit(store::digest).syncUninterruptibly().getNow();
    }

    @Override
    public String name() {
        return "ncp kv";
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class CommandHandler extends SimpleChannelInboundHandler<List<String>> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, List<String> cmd) {
            if (cmd.get(0).equalsIgnoreCase("QUIT")) {
                ctx.writeAndFlush(ctx.alloc().buffer(5).writeBytes("+OK\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                return;
            }
            String reply = store.execute(cmd);
            ByteBuf out = ctx.alloc().buffer(reply.length());
            out.writeCharSequence(reply, StandardCharsets.UTF_8);
            ctx.write(out);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
