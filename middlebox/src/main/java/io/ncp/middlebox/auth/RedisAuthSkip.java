package io.ncp.middlebox.auth;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Redis answer filter for the primary's stream: the replies to the client's leading {@code AUTH} / {@code HELLO}
 * commands are not digested (the replicas' replies to their own rewritten commands are swallowed by
 * {@link RedisAuthHandler}); everything after them is digested as is. Learns the leading commands from the client
 * bytes ({@link #clientBytes}), which always precede their replies. Owned by the stream's event loop; copies at most
 * {@link Resp#MAX} bytes of each side while the phase lasts and never retains the buffers it sees.
 */
final class RedisAuthSkip implements AnswerFilter {

    private ByteBuf commands = Scratch.buffer();
    private ByteBuf replies = Scratch.buffer();
    /** Leading authentication commands seen so far. */
    private int authCommands;
    private int skipped;
    private boolean commandsDone;
    private boolean passing;

    @Override
    public void clientBytes(ByteBuf buf) {
        if (commandsDone) {
            return;
        }
        commands.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        while (true) {
            Resp.Command cmd = Resp.readCommand(commands);
            if (cmd == null) {
                return;
            }
            if (cmd == Resp.OTHER) {
                commandsDone = true;
                commands = Unpooled.EMPTY_BUFFER;
                return;
            }
            commands.skipBytes(cmd.length());
            commands.discardReadBytes();
            authCommands++;
        }
    }

    @Override
    public void feed(ByteBuf buf, BlockDigester d) {
        if (passing) {
            d.update(buf);
            return;
        }
        replies.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        while (replies.isReadable() && skipped < authCommands) {
            int len = Resp.replyLength(replies);
            if (len == -1 && replies.readableBytes() <= Resp.MAX) {
                return;
            }
            if (len < 0) {
                break; // unmeasurable: compare from here
            }
            replies.skipBytes(len);
            skipped++;
        }
        if (replies.isReadable()) {
            passing = true; // a reply to a command after the authentication phase
            d.update(replies);
            replies = Unpooled.EMPTY_BUFFER;
            commands = Unpooled.EMPTY_BUFFER;
            commandsDone = true;
        } else {
            replies.clear();
        }
    }
}
