package io.ncp.middlebox.auth;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.netty.buffer.ByteBuf;

/**
 * MySQL / MariaDB answer filter for the primary's stream: skips the greeting (random scramble, connection id) and
 * every packet of the authentication exchange up to and including its OK or ERR (the replicas' own are swallowed by
 * {@link MySqlAuthHandler}), then digests every byte: the OK packets of commands (affected rows, last insert id,
 * status, warnings) are compared whole, so different auto-increment ids are a divergence. Owned by the stream's event
 * loop; never retains the buffers it sees.
 */
final class MySqlAuthSkip implements AnswerFilter {

    private final byte[] header = new byte[4];
    private int headerFill;
    /** Payload bytes of the current packet still to skip, its first (kind) byte included when not read yet. */
    private long bodyLeft;
    private boolean kindPending;
    /** The current packet ends the authentication phase (an OK or ERR after the greeting). */
    private boolean last;
    private int packets;
    private boolean passing;

    @Override
    public void feed(ByteBuf buf, BlockDigester d) {
        if (passing) {
            d.update(buf);
            return;
        }
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && !passing) {
            if (kindPending) {
                int kind = buf.getUnsignedByte(pos++);
                kindPending = false;
                bodyLeft--;
                last = packets > 1 && (kind == 0x00 || kind == 0xff);
                passing = last && bodyLeft == 0;
                continue;
            }
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, end - pos);
                bodyLeft -= n;
                pos += n;
                passing = last && bodyLeft == 0;
                continue;
            }
            header[headerFill++] = buf.getByte(pos++);
            if (headerFill == header.length) {
                headerFill = 0;
                bodyLeft = (header[0] & 0xff) | ((header[1] & 0xff) << 8) | ((header[2] & 0xffL) << 16);
                packets++;
                kindPending = bodyLeft > 0;
                last = false;
            }
        }
        if (pos < end) {
            d.update(buf, pos, end - pos);
        }
    }
}
