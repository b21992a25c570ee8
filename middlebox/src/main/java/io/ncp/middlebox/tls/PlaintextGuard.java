package io.ncp.middlebox.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Sits on the session side of an {@link io.netty.handler.ssl.SslHandler} and hands it read-only views of what is
 * written. The SslHandler coalesces small pending writes by appending the next one into the first buffer's spare
 * capacity; the middlebox's buffers share their memory with the duplicates it fans out (the ring's copy for the
 * replicas, the carry-over's slices, another connection's write), so an append would write into memory that another
 * connection's SslHandler appends into too. A read-only view makes the SslHandler copy instead. Stateless: one
 * instance serves every channel.
 */
@ChannelHandler.Sharable
final class PlaintextGuard extends ChannelOutboundHandlerAdapter {

    static final PlaintextGuard INSTANCE = new PlaintextGuard();
    static final String NAME = "ncp-tls-readonly";

    private PlaintextGuard() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf b && !b.isReadOnly() ? b.asReadOnly() : msg, promise);
    }
}
