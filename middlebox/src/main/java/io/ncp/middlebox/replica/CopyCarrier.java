package io.ncp.middlebox.replica;

import io.ncp.middlebox.ring.FrontLink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * A replica copy's part in a failover (services with {@code failover} only): until its replica is promoted it keeps
 * the answers the session's client may lack ({@link AnswerWindow}); once promoted it carries the session: its answers
 * go to the front from the offset the front asked for, and its end is the session's. Replica loop only.
 */
final class CopyCarrier {

    private final FrontLink link;
    private AnswerWindow window = new AnswerWindow();
    /** Non-null once carrying. */
    private FrontLink carrying;
    /** Answer bytes still to skip before forwarding (below the offset the front asked for). */
    private long skip;
    private boolean ended;

    CopyCarrier(FrontLink link) {
        this.link = link;
    }

    /** A carrier for a session of a failover service, else null. */
    static CopyCarrier of(FrontLink link, boolean failover) {
        return link != null && failover ? new CopyCarrier(link) : null;
    }

    /** The replica answered {@code buf} (borrowed): kept, or forwarded once carrying. */
    void answer(ByteBuf buf) {
        if (carrying == null) {
            if (window != null) {
                window.add(buf);
            }
            return;
        }
        int n = buf.readableBytes();
        if (skip >= n) {
            skip -= n;
            return;
        }
        ByteBuf out = buf.retainedSlice(buf.readerIndex() + (int) skip, n - (int) skip);
        skip = 0;
        carrying.carried(out);
    }

    /** The client has {@code offset} answer bytes. */
    void released(long offset) {
        if (window != null) {
            window.releasedUpTo(offset);
        }
    }

    /**
     * The replica was promoted: forwards its answers from stream offset {@code from} (the replica had produced
     * {@code answered} bytes) through {@code channel}'s reads; null when it can, else why not.
     */
    String takeover(long from, long answered, Channel channel) {
        if (window == null || !window.covers(Math.min(from, answered))) {
            return "it no longer had the answers the client lacked";
        }
        carrying = link;
        skip = Math.max(0, from - answered);
        link.carrying(channel, answered);
        window.drainFrom(from, link::carried);
        window = null;
        return null;
    }

    boolean carrying() {
        return carrying != null;
    }

    /** The copy's answers ended (once carrying: the session's end; {@code reset}: by a reset or a lost copy). */
    void end(boolean reset) {
        if (carrying != null && !ended) {
            ended = true;
            carrying.carriedEnd(reset);
        }
    }

    /** The copy is done: its end if carrying, and what was kept released. */
    void close(boolean reset) {
        end(reset);
        if (window != null) {
            window.releaseAll();
        }
    }
}
