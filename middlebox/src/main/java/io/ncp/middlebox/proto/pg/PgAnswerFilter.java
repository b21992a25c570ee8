package io.ncp.middlebox.proto.pg;

import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RecentReplies;
import io.ncp.middlebox.proto.ReplyLedger;
import io.netty.buffer.ByteBuf;

/**
 * One answer stream of a PostgreSQL session (the primary's, or one replica copy's), framed into replies: a reply is
 * every message up to and including a ReadyForQuery ('Z'), and reply <i>n</i> answers request <i>n</i> as
 * {@link PgRequestFramer} numbers them. Compared replies are digested byte for byte, noisy ones by their
 * messages' type bytes only (so a stream told no noise digests exactly as {@code PostgresAuthSkip} does: the mirror
 * front-end's primary side). A CopyInResponse ('G') or CopyBothResponse ('W') also ends a frame (the
 * client must see it before it sends the copy data), on every server alike.
 *
 * <p>The primary's stream starts with the startup phase the client went through (single-byte answers to SSLRequest /
 * GSSENCRequest, authentication, ParameterStatus, BackendKeyData, up to the first ReadyForQuery), which the replicas'
 * authentication handlers swallow on their side: it is not digested and every message of it is reported as a skipped
 * frame (a lockstep gate lets it through at once). A replica's stream starts after it.
 *
 * <p>An unknown message type or a length out of range is a framing error: the rest is digested as bytes and
 * {@link FrameListener#framingFailed} is told. Not thread-safe: owned by the loop that reads the stream. Never
 * retains or releases buffers.
 */
public final class PgAnswerFilter implements FramingAnswerFilter {

    private static final String TYPES = "123AcCdDEGHIKnNRsStTvVWZ";

    private boolean startup;
    private boolean framed;
    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private long offset;
    private boolean inReply;
    private int disposition;
    private final ReplyLedger ledger = new ReplyLedger();
    private final RecentReplies recent = new RecentReplies();

    /** @param primary whether the stream still holds the startup phase (the primary's) */
    public PgAnswerFilter(boolean primary) {
        this.startup = primary;
        this.framed = !primary;
    }

    @Override
    public void listener(FrameListener l) {
        ledger.listener(l);
    }

    @Override
    public void expect(long ordinal, int exchange) {
        ledger.expect(ordinal, exchange);
    }

    @Override
    public void feed(ByteBuf buf, BlockDigester d) {
        int pos = buf.readerIndex();
        int end = buf.writerIndex();
        while (pos < end && !ledger.failed()) {
            if (!framed) {
                byte b = buf.getByte(pos);
                if (b == 'N' || b == 'S' || b == 'G') { // an SSLRequest / GSSENCRequest answer
                    pos++;
                    offset++;
                    frame(true);
                    continue;
                }
                framed = true;
            }
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, end - pos);
                body(buf, pos, n, d);
                pos += n;
                offset += n;
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    messageEnd();
                }
                continue;
            }
            if (headerFill == 0 && !startup && !inReply) {
                replyStart(d);
            }
            header[headerFill++] = buf.getByte(pos);
            if (headerFill == 1 && digesting(d)) {
                d.update(buf, pos, 1);
            } else if (headerFill > 1 && digesting(d) && (disposition & Exchange.NOISE) == 0) {
                d.update(buf, pos, 1);
            }
            pos++;
            offset++;
            if (headerFill == 5) {
                headerFill = 0;
                long len = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                    | (header[4] & 0xff);
                if (TYPES.indexOf(header[0]) < 0 || len < 4 || len > PgRequestFramer.MAX_MESSAGE) {
                    fail(buf, pos, end, d);
                    return;
                }
                bodyLeft = len - 4;
                if (bodyLeft == 0) {
                    messageEnd();
                }
            }
        }
        if (ledger.failed() && pos < end && d != null) {
            d.update(buf, pos, end - pos);
        }
    }

    private boolean digesting(BlockDigester d) {
        return d != null && !startup && (disposition & Exchange.SKIPPED) == 0;
    }

    private void body(ByteBuf buf, int pos, int n, BlockDigester d) {
        if (!digesting(d) || (disposition & Exchange.NOISE) != 0) {
            return;
        }
        d.update(buf, pos, n);
    }

    private void replyStart(BlockDigester d) {
        inReply = true;
        disposition = ledger.next();
        if (d != null && (disposition & Exchange.SKIPPED) == 0) {
            recent.started(d.total(), ledger.last());
        }
    }

    private void messageEnd() {
        byte type = header[0];
        if (startup) {
            startup = type != 'Z';
            frame(true);
        } else if (type == 'Z') {
            inReply = false;
            frame((disposition & Exchange.SKIPPED) != 0);
        } else if (type == 'G' || type == 'W') {
            frame((disposition & Exchange.SKIPPED) != 0);
        }
    }

    private void frame(boolean skipped) {
        ledger.frame(offset, skipped);
    }

    private void fail(ByteBuf buf, int pos, int end, BlockDigester d) {
        ledger.fail();
        if (d != null && pos < end) {
            d.update(buf, pos, end - pos);
        }
    }

    @Override
    public long requestAt(long digestOffset) {
        return recent.requestAt(digestOffset);
    }

    @Override
    public long frames() {
        return ledger.frames();
    }

    @Override
    public boolean failed() {
        return ledger.failed();
    }
}
