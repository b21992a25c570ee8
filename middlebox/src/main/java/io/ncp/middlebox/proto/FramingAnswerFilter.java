package io.ncp.middlebox.proto;

import io.ncp.middlebox.digest.AnswerFilter;

/**
 * An answer filter that also frames its stream (the primary's, or one replica copy's) into replies of a request-aware
 * protocol: each reply is paired with its request's {@link Exchange} bits and digested accordingly, every reply's end
 * is reported (lockstep per exchange), and a divergent digest offset can be named by its request. After a framing
 * error the rest of the stream is digested as bytes and no more replies are reported
 * ({@link FrameListener#framingFailed}).
 *
 * <p>Pairing: requests are numbered 1, 2, ... as the protocol's request framer numbers them; only requests that are
 * not plain compared ones are told ({@link #expect}), before the request's last byte is sent, so before its reply can
 * come. Not thread-safe: owned by the loop that reads the stream. Never retains or releases buffers.
 */
public interface FramingAnswerFilter extends AnswerFilter {

    /** Told where replies end. */
    interface FrameListener {
        /**
         * A reply (or a unit the client must see before it can go on, e.g. PostgreSQL's CopyInResponse) ended at
         * stream offset {@code end}; {@code skipped}: the replicas' answer streams have no counterpart of it.
         */
        void frame(long end, boolean skipped);

        /** The stream cannot be framed from here on: no more frames will be reported. */
        void framingFailed();
    }

    /** Where reply ends are reported (one listener; null: nowhere). */
    void listener(FrameListener l);

    /**
     * Request number {@code ordinal} has bits {@code exchange} ({@link Exchange}); numbers increase (a number told
     * again is ignored).
     */
    void expect(long ordinal, int exchange);

    /**
     * Frames reported so far that the replicas' streams also have (not skipped): what a lockstep gate counts on both
     * sides.
     */
    long frames();

    /**
     * The number of the request whose reply holds digested byte {@code offset}: -1 for a message that answers no
     * request (a RESP push), 0 when not known (too old, or the stream was not framed there).
     */
    long requestAt(long offset);

    /** Whether the stream stopped being framed. */
    boolean failed();

    /**
     * How many requests' replies have ended on this stream, numbered as the protocol's request filter numbers the
     * requests sent ({@link RequestFilter#requestsSent}), with no reply in progress; -1 when the protocol does not
     * count them or cannot now (a push may come, a reply is half read, the stream is not framed).
     */
    default long repliesEnded() {
        return -1;
    }
}
