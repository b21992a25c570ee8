package io.ncp.middlebox.proto;

/**
 * Where the last {@link #SIZE} replies of one answer stream start in its digest and which request each answers: a
 * {@link FramingAnswerFilter} names the request behind a divergent digest offset with it. Not thread-safe: owned with
 * its filter.
 */
public final class RecentReplies {

    /** Replies remembered. */
    public static final int SIZE = 4096;

    private final long[] start = new long[SIZE];
    private final long[] ordinal = new long[SIZE];
    private long count;

    /** A reply to request {@code request} starts at digest offset {@code at} (offsets increase). */
    public void started(long at, long request) {
        int i = (int) (count++ % SIZE);
        start[i] = at;
        ordinal[i] = request;
    }

    /** The request whose reply holds digest offset {@code offset}, or 0 when it is not among the remembered ones. */
    public long requestAt(long offset) {
        long first = Math.max(0, count - SIZE);
        for (long k = count - 1; k >= first; k--) {
            int i = (int) (k % SIZE);
            if (start[i] <= offset) {
                return ordinal[i];
            }
        }
        return 0;
    }
}
