package io.ncp.middlebox.replica;

import io.ncp.middlebox.net.Channels;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads a replica's answers (auto-read always on, so they never fill socket buffers), hands them to the copy for
 * digesting and releases them at once.
 */
final class ReplicaAnswerHandler extends ChannelInboundHandlerAdapter {

    private final ReplicaCopy copy;

    ReplicaAnswerHandler(ReplicaCopy copy) {
        this.copy = copy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf) {
                copy.answer((ByteBuf) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            copy.answersEnded();
            Channels.closeIfOutputShutdown(ctx.channel());
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        copy.channelClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        copy.failed(cause);
        if (!Channels.isClosed(cause)) {
            ctx.close();
        }
    }
}
