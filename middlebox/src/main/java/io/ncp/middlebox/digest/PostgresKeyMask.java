package io.ncp.middlebox.digest;

import io.netty.buffer.ByteBuf;

/**
 * PostgreSQL backend-stream filter: digests every byte except the payload of BackendKeyData ('K': process id and
 * secret key, random per connection), which is digested as zeros, and the catalog identifiers of RowDescription
 * ('T': table OIDs, column numbers, user-defined type OIDs; {@link RowDescriptionMask}), which differ between servers
 * with the same data once one was loaded from a logical dump. Leading single-byte answers to SSLRequest /
 * GSSENCRequest ('N' or 'S') before the first framed message are passed through as bytes.
 */
public final class PostgresKeyMask implements AnswerFilter {

    private static final int HEADER = 5;

    private boolean framed;
    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private long bodyLeft;
    private boolean masking;
    /** The RowDescription whose body is being read, or null. */
    private RowDescriptionMask rows;

    /** A filter for a stream from its start. */
    public PostgresKeyMask() {
    }

    /**
     * A filter for a stream that starts at a message boundary after the startup (a session continued over a new
     * connection, whose startup answers were swallowed): a leading {@code 'N'} is a NoticeResponse, not an answer
     * to SSLRequest.
     */
    public static PostgresKeyMask atMessageBoundary() {
        PostgresKeyMask m = new PostgresKeyMask();
        m.framed = true;
        return m;
    }

    @Override
    public void feed(ByteBuf buf, BlockDigester d) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end) {
            if (!framed) {
                byte b = buf.getByte(pos);
                if (b == 'N' || b == 'S') {
                    d.update(buf, pos, 1);
                    pos++;
                    continue;
                }
                framed = true;
            }
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, end - pos);
                if (rows != null) {
                    rows.feed(buf, pos, n, d);
                } else if (masking) {
                    d.updateZeros(n);
                } else {
                    d.update(buf, pos, n);
                }
                bodyLeft -= n;
                pos += n;
                continue;
            }
            header[headerFill++] = buf.getByte(pos);
            d.update(buf, pos, 1);
            pos++;
            if (headerFill == HEADER) {
                headerFill = 0;
                long len = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                    | (header[4] & 0xff);
                bodyLeft = Math.max(0, len - 4);
                masking = header[0] == 'K';
                rows = header[0] == 'T' ? new RowDescriptionMask() : null;
            }
        }
    }
}
