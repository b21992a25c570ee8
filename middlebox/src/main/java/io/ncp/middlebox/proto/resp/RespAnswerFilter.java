package io.ncp.middlebox.proto.resp;

import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RecentReplies;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * One answer stream of a Redis session (the primary's, or one replica copy's), framed into replies: each reply is
 * paired with its request's {@link Exchange} bits and digested accordingly — compared replies byte for byte, noisy
 * ones by their type byte only, replies to requests the replicas never got not at all — and every reply's end is
 * reported (lockstep per exchange). After a framing error the rest of the stream is digested as bytes and no more
 * replies are reported ({@link FrameListener#framingFailed}).
 *
 * <p>Pairing: requests are numbered 1, 2, ... in the order they were sent on this stream's connection; only requests
 * that are not plain compared ones are told ({@link #expect}, before the request is sent, so before its reply can
 * come). Each reply takes the next number, except pushes: RESP3 {@code >} replies, and once the session subscribed,
 * array replies unless a PING in pub/sub mode waits (RESP2 pub/sub messages and confirmations). Requests marked
 * {@link Exchange#UNPAIRED} take their number without a reply. Both sides pair the same way, so the digests agree
 * whenever the answers do; a session that leaves pub/sub mode keeps treating array replies as pushes (compared in
 * full: the noise model no longer applies to them).
 *
 * <p>Not thread-safe: owned by the loop that reads the stream. Never retains or releases buffers.
 */
public final class RespAnswerFilter implements FramingAnswerFilter, RespReplyFramer.Listener {


    private final RespReplyFramer framer = new RespReplyFramer(this);
    private final RecentReplies recent = new RecentReplies();
    private final ArrayDeque<long[]> expected = new ArrayDeque<>();
    private FrameListener listener;
    private long lastOrdinal;
    private boolean subscribed;
    private boolean failed;
    private long frames;
    private int disposition;
    private boolean typeDigested;
    // per feed() call
    private ByteBuf buf;
    private BlockDigester digester;
    private long base;
    private int segStart;

    @Override
    public void listener(FrameListener l) {
        this.listener = l;
    }

    @Override
    public void expect(long ordinal, int exchange) {
        if (!expected.isEmpty() && expected.peekLast()[0] >= ordinal || ordinal <= lastOrdinal) {
            return; // told again
        }
        expected.add(new long[] {ordinal, exchange});
    }

    @Override
    public void feed(ByteBuf b, BlockDigester d) {
        if (failed) {
            if (d != null) {
                d.update(b);
            }
            return;
        }
        this.buf = b;
        this.digester = d;
        this.base = framer.offset();
        this.segStart = b.readerIndex();
        framer.feed(b);
        if (framer.failed()) {
            failed = true;
            if (d != null && b.writerIndex() > segStart) {
                d.update(b, segStart, b.writerIndex() - segStart);
            }
            if (listener != null) {
                listener.framingFailed();
            }
        } else if (framer.inReply()) {
            digest(b.writerIndex());
        }
        this.buf = null;
        this.digester = null;
    }

    @Override
    public void replyStart(long offset, byte type) {
        segStart = index(offset);
        typeDigested = false;
        consumeUnpaired();
        boolean pingWaits = !expected.isEmpty() && expected.peek()[0] == lastOrdinal + 1
            && (expected.peek()[1] & Exchange.PING) != 0;
        if (type == '>' || subscribed && type == '*' && !pingWaits) {
            disposition = Exchange.COMPARE; // a push: no request of its own
            remember(-1);
            return;
        }
        lastOrdinal++;
        disposition = Exchange.COMPARE;
        if (!expected.isEmpty() && expected.peek()[0] == lastOrdinal) {
            disposition = (int) expected.poll()[1];
        }
        remember(lastOrdinal);
    }

    private void remember(long ordinal) {
        if (digester == null || (disposition & Exchange.SKIPPED) != 0) {
            return;
        }
        recent.started(digester.total(), ordinal);
    }

    @Override
    public long repliesEnded() {
        return failed || subscribed || framer.inReply() ? -1 : lastOrdinal;
    }

    @Override
    public long requestAt(long offset) {
        return recent.requestAt(offset);
    }

    /** Requests that get no reply of their own take their numbers now (and may start pub/sub mode). */
    private void consumeUnpaired() {
        while (!expected.isEmpty()) {
            long[] head = expected.peek();
            if (head[0] <= lastOrdinal) {
                expected.poll(); // cannot happen with increasing numbers; never let it block pairing
            } else if (head[0] == lastOrdinal + 1 && (head[1] & Exchange.UNPAIRED) != 0) {
                expected.poll();
                lastOrdinal++;
                subscribed |= (head[1] & Exchange.SUBSCRIBES) != 0;
            } else {
                return;
            }
        }
    }

    @Override
    public void replyEnd(long offset) {
        digest(index(offset));
        boolean skipped = (disposition & Exchange.SKIPPED) != 0;
        if (!skipped) {
            frames++;
        }
        if (listener != null) {
            listener.frame(offset, skipped);
        }
    }

    private void digest(int to) {
        int from = segStart;
        segStart = to;
        if (digester == null || to <= from || (disposition & Exchange.SKIPPED) != 0) {
            return;
        }
        if ((disposition & Exchange.NOISE) != 0) {
            if (!typeDigested) {
                typeDigested = true;
                digester.update(buf, from, 1);
            }
            return;
        }
        digester.update(buf, from, to - from);
    }

    private int index(long offset) {
        return buf.readerIndex() + (int) (offset - base);
    }

    /** Replies framed so far, except those answering requests the replicas never got. */
    @Override
    public long frames() {
        return frames;
    }

    /** Whether the stream stopped being RESP. */
    @Override
    public boolean failed() {
        return failed;
    }
}
