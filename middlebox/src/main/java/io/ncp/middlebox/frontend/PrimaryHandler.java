package io.ncp.middlebox.frontend;

import io.ncp.middlebox.net.Channels;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to the primary, on the session's front loop: answers are digested (no copy, no retain) and written
 * to the client, which then owns them. A FIN from the primary half-closes the client after its bytes are flushed;
 * a close closes the client after the flush; a reset resets the client, also only after every answer byte already
 * received from the primary went out (a server that answers {@code -ERR ...} and resets: the client gets the error).
 */
final class PrimaryHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryHandler.class);

    private final FrontSession session;

    PrimaryHandler(FrontSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel client = session.client;
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf buf = (ByteBuf) msg;
        if (!client.isActive() || session.detached(ctx.channel())) {
            buf.release(); // the client is gone: nothing to deliver
            return;
        }
        session.service.stats().bytesOut.add(buf.readableBytes());
        if (session.epoch != 0) {
            session.service.firstAnswerAfterFailover(session.epoch);
        }
        session.primaryAnswer(buf);
        if (session.gate != null) {
            session.gate.primaryAnswer(buf);
        } else {
            session.delivered(buf);
            client.write(buf, client.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel client = session.client;
        client.flush();
        if (!client.isWritable() || session.gate != null) {
            session.updatePrimaryRead();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!session.detached(ctx.channel())) {
            session.client.config().setAutoRead(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !session.detached(ctx.channel())
                && session.holdPrimaryEnd(true)) {
            Channels.closeIfOutputShutdown(ctx.channel()); // held: the failover may replace the primary
        } else if (evt instanceof ChannelInputShutdownEvent && !session.detached(ctx.channel())) {
            session.primaryEnded();
            session.afterAnswers(() -> Channels.shutdownOutputAfterFlush(session.client));
            Channels.closeIfOutputShutdown(ctx.channel());
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session.detached(ctx.channel()) || session.holdPrimaryEnd(false)) {
            return; // given up for a failover, or held until one comes (or not)
        }
        session.endClient();
        session.primaryClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Channels.isClosed(cause)) {
            LOG.debug("{}: write to a closed channel: {}", session.service.name(), cause.toString());
            return;
        }
        if (Channels.isPeerFailure(cause)) {
            LOG.debug("{}: primary connection failed: {}", session.service.name(), cause.toString());
            session.primaryReset(); // channelInactive resets the client after the answers already received
        } else {
            LOG.warn("{}: primary handler error", session.service.name(), cause);
        }
        ctx.close();
    }
}
