package io.ncp.middlebox.auth;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.netty.buffer.ByteBuf;

/**
 * PostgreSQL answer filter for the primary's stream: skips the single-byte answers to SSLRequest / GSSENCRequest and
 * every message up to and including the first ReadyForQuery (authentication requests, ParameterStatus,
 * BackendKeyData: the replicas' own are swallowed by {@link PostgresAuthHandler}), then digests every byte. Owned by
 * the stream's event loop; never retains the buffers it sees.
 */
final class PostgresAuthSkip implements AnswerFilter {

    private static final int HEADER = 5;

    private boolean framed;
    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private long bodyLeft;
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
            if (!framed) {
                byte b = buf.getByte(pos);
                if (b == 'N' || b == 'S' || b == 'G') {
                    pos++;
                    continue;
                }
                framed = true;
            }
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, end - pos);
                bodyLeft -= n;
                pos += n;
                passing = bodyLeft == 0 && header[0] == 'Z';
                continue;
            }
            header[headerFill++] = buf.getByte(pos++);
            if (headerFill == HEADER) {
                headerFill = 0;
                long len = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                    | (header[4] & 0xff);
                bodyLeft = Math.max(0, len - 4);
                passing = bodyLeft == 0 && header[0] == 'Z';
            }
        }
        if (pos < end) {
            d.update(buf, pos, end - pos);
        }
    }
}
