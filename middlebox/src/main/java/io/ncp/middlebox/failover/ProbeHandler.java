package io.ncp.middlebox.failover;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * One probe connection: once connected, sends the request (if any) and checks that the answer starts with the
 * expected prefix. Reports exactly once to {@code done}; the probe loop closes the channel. Releases what it reads.
 */
final class ProbeHandler extends ChannelInboundHandlerAdapter {

    private final byte[] send;
    private final byte[] expect;
    private final Consumer<ProbeResult> done;
    private int matched;
    private boolean reported;

    ProbeHandler(byte[] send, byte[] expect, Consumer<ProbeResult> done) {
        this.send = send;
        this.expect = expect;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (send == null) {
            report(ProbeResult.OK);
            return;
        }
        ctx.writeAndFlush(ctx.alloc().buffer(send.length).writeBytes(send));
        if (expect == null) {
            report(ProbeResult.OK);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof ByteBuf) || reported || expect == null) {
                return;
            }
            ByteBuf buf = (ByteBuf) msg;
            while (buf.isReadable() && matched < expect.length) {
                byte b = buf.readByte();
                if (b != expect[matched]) {
                    report(ProbeResult.failed("answered something else than expected (byte " + matched + ")"));
                    return;
                }
                matched++;
            }
            if (matched == expect.length) {
                report(ProbeResult.OK);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(ProbeResult.failed("closed the connection before answering"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(ProbeResult.failed(String.valueOf(cause.getMessage())));
        ctx.close();
    }

    private void report(ProbeResult r) {
        if (!reported) {
            reported = true;
            done.accept(r);
        }
    }
}
