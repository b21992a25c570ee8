package io.ncp.middlebox.proto.http;

import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RecentReplies;
import io.ncp.middlebox.proto.ReplyLedger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One response stream of an HTTP/1.1 session (the primary's, or one replica copy's), framed by {@link HttpFramer}:
 * response n answers request n as {@link HttpClientFilter} numbers them; an interim response ({@code 1xx}, e.g.
 * {@code 100 Continue}, which the client may wait for before it sends a body) ends a frame of its own on every server
 * alike. Digested: every byte of every response except the values of the headers in {@link HttpNoise} (e.g.
 * {@code Date}, which two servers set each to their own clock), the value bytes left out. A response to a request
 * told {@link Exchange#NOISE} is digested by its status line only.
 *
 * <p>Where the stream stops being framed (an upgrade, a body delimited by the close, malformed bytes) the rest is
 * digested as bytes and {@link FrameListener#framingFailed} is told. Not thread-safe: owned by the loop that reads the
 * stream. Never retains or releases buffers.
 */
public final class HttpAnswerFilter implements FramingAnswerFilter, HttpFramer.Listener {


    private final HttpNoise noise;
    private final HttpFramer framer;
    private final ReplyLedger ledger = new ReplyLedger();
    private final RecentReplies recent = new RecentReplies();
    private int disposition;
    // per feed() call
    private ByteBuf buf;
    private BlockDigester digester;
    private long base;
    private int failedAt = -1;

    public HttpAnswerFilter(HttpNoise noise) {
        this.noise = noise;
        this.framer = HttpFramer.responses(this, this::method);
    }

    @Override
    public void listener(FrameListener l) {
        ledger.listener(l);
    }

    @Override
    public void expect(long ordinal, int exchange) {
        ledger.expect(ordinal, exchange);
    }

    /** The method of request {@code n} as far as framing cares: HEAD, or null. Called after {@link #head}. */
    private String method(long n) {
        return (ledger.bits(n) & Exchange.HEAD) != 0 ? "HEAD" : null;
    }

    @Override
    public void feed(ByteBuf b, BlockDigester d) {
        if (ledger.failed()) {
            if (d != null) {
                d.update(b);
            }
            return;
        }
        buf = b;
        digester = d;
        base = framer.offset();
        try {
            framer.feed(b);
            if (failedAt >= 0 && d != null && failedAt < b.writerIndex()) {
                d.update(b, failedAt, b.writerIndex() - failedAt); // the rest of this buffer, as bytes
            }
        } finally {
            buf = null;
            digester = null;
            failedAt = -1;
        }
    }

    @Override
    public void head(byte[] head, int len, int status) {
        if (status >= 200 || status == 101) {
            disposition = ledger.next();
        } else {
            disposition = Exchange.COMPARE; // an interim response: compared like any other
        }
        if (digester == null || (disposition & Exchange.SKIPPED) != 0) {
            return;
        }
        recent.started(digester.total(), status >= 200 || status == 101 ? ledger.last() : ledger.last() + 1);
        ByteBuf h = Unpooled.wrappedBuffer(head, 0, len);
        try {
            if ((disposition & Exchange.NOISE) != 0) {
                digester.update(h, 0, HttpHead.indexOf(head, 0, len, (byte) '\n') + 1); // the status line only
            } else {
                noise.digestMasked(h, head, len, digester);
            }
        } finally {
            h.release();
        }
    }

    @Override
    public void content(ByteBuf b, int from, int len) {
        if (digester != null && len > 0 && (disposition & (Exchange.SKIPPED | Exchange.NOISE)) == 0) {
            digester.update(b, from, len);
        }
    }

    @Override
    public void messageEnd(long end, int status, String name) {
        ledger.frame(end, (disposition & Exchange.SKIPPED) != 0);
    }

    @Override
    public void opaque(long offset, String why) {
        if (buf != null) {
            failedAt = buf.readerIndex() + (int) (offset - base);
        }
        ledger.fail();
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
