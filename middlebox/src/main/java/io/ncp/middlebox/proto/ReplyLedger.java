package io.ncp.middlebox.proto;

import java.util.ArrayDeque;

/**
 * What the answer filters of the request-aware protocols share: the {@link Exchange} bits requests were told with
 * ahead of their replies ({@link #expect}), the numbering of replies as they start ({@link #next}), and the frames
 * reported to the lockstep gate's listener (counted unless skipped) and a framing failure reported once. Not
 * thread-safe: owned with its filter.
 */
public final class ReplyLedger {

    private final ArrayDeque<long[]> expected = new ArrayDeque<>();
    /** The number of the reply started last (0: none yet). */
    private long last;
    private int current;
    private long frames;
    private boolean failed;
    private FramingAnswerFilter.FrameListener listener;

    /** Where reply ends are reported (null: nowhere). */
    public void listener(FramingAnswerFilter.FrameListener l) {
        this.listener = l;
    }

    /** Request {@code ordinal} has bits {@code exchange}; numbers increase (one told again or too late is ignored). */
    public void expect(long ordinal, int exchange) {
        if (ordinal <= last || !expected.isEmpty() && expected.peekLast()[0] >= ordinal) {
            return;
        }
        expected.add(new long[] {ordinal, exchange});
    }

    /** A reply starts: it answers request {@link #last()} + 1; its bits ({@link Exchange#COMPARE} unless told). */
    public int next() {
        last++;
        current = Exchange.COMPARE;
        while (!expected.isEmpty() && expected.peek()[0] < last) {
            expected.poll();
        }
        if (!expected.isEmpty() && expected.peek()[0] == last) {
            current = (int) expected.poll()[1];
        }
        return current;
    }

    /** The number of the reply started last (0 before the first). */
    public long last() {
        return last;
    }

    /** The bits of request {@code n}: the current reply's, or as told for a later one; COMPARE when not told. */
    public int bits(long n) {
        if (n == last) {
            return current;
        }
        for (long[] e : expected) {
            if (e[0] == n) {
                return (int) e[1];
            }
        }
        return Exchange.COMPARE;
    }

    /** A frame ended at stream offset {@code end}; {@code skipped}: the replicas' streams have no counterpart. */
    public void frame(long end, boolean skipped) {
        if (!skipped) {
            frames++;
        }
        if (listener != null) {
            listener.frame(end, skipped);
        }
    }

    /** The stream cannot be framed from here on (reported once). */
    public void fail() {
        if (failed) {
            return;
        }
        failed = true;
        if (listener != null) {
            listener.framingFailed();
        }
    }

    /** Frames reported that were not skipped. */
    public long frames() {
        return frames;
    }

    /** Whether framing failed. */
    public boolean failed() {
        return failed;
    }
}
