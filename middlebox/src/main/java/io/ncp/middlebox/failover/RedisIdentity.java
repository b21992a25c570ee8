package io.ncp.middlebox.failover;

import io.ncp.middlebox.auth.RespCommand;
import io.ncp.middlebox.config.ReplicaAuth;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which redis-server process answers at a replica's address: its {@code run_id} ({@code INFO server}), new on every
 * start. A replica whose run id changed while it was in sync restarted behind the middlebox's back (between two
 * probes, with no connection open across the restart: nothing else sees that) and may have lost data. The request
 * authenticates first with the replica's own credentials when it has some ({@code AUTH}); a server that refuses
 * gives no identity (the check is skipped). One connection per check, on the prober's loop.
 */
final class RedisIdentity extends ChannelInboundHandlerAdapter {

    /** The most a check reads before giving up (INFO server is ~1-2 KiB). */
    static final int MAX_ANSWER = 64 << 10;
    private static final byte[] FIELD = "run_id:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] request;
    private final Consumer<String> done;
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    private boolean reported;

    /** @param done gets the run id, or null when none could be read (refused, an error, closed) */
    RedisIdentity(byte[] request, Consumer<String> done) {
        this.request = request;
        this.done = done;
    }

    /** {@code AUTH} with {@code auth} (when not null), then {@code INFO server}, as RESP arrays. */
    static byte[] request(ReplicaAuth auth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (auth != null) {
            List<byte[]> a = new ArrayList<>();
            a.add("AUTH".getBytes(StandardCharsets.US_ASCII));
            if (auth.user() != null) {
                a.add(auth.user().getBytes(StandardCharsets.UTF_8));
            }
            a.add(auth.password());
            RespCommand.append(out, a);
        }
        RespCommand.append(out, List.of("INFO".getBytes(StandardCharsets.US_ASCII),
            "server".getBytes(StandardCharsets.US_ASCII)));
        return out.toByteArray();
    }

    /** The run id in {@code text} (up to its line's end), or null when it is not (yet) there whole. */
    static String runId(byte[] text) {
        outer:
        for (int i = 0; i + FIELD.length <= text.length; i++) {
            for (int j = 0; j < FIELD.length; j++) {
                if (text[i + j] != FIELD[j]) {
                    continue outer;
                }
            }
            int start = i + FIELD.length;
            for (int k = start; k < text.length; k++) {
                if (text[k] == '\r' || text[k] == '\n') {
                    return k > start ? new String(text, start, k - start, StandardCharsets.US_ASCII) : null;
                }
            }
            return null;
        }
        return null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ctx.alloc().buffer(request.length).writeBytes(request));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (reported || !(msg instanceof ByteBuf buf)) {
                return;
            }
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            answer.writeBytes(b);
            byte[] all = answer.toByteArray();
            if (all.length > 0 && all[0] == '-') {
                report(null); // e.g. -NOAUTH, -WRONGPASS
                return;
            }
            String id = runId(all);
            if (id != null || all.length > MAX_ANSWER) {
                report(id);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(null);
        ctx.close();
    }

    private void report(String id) {
        if (!reported) {
            reported = true;
            done.accept(id);
        }
    }
}
