package io.ncp.middlebox.proto;

import java.util.ArrayDeque;

/**
 * Lockstep per exchange for one session: where each of the primary's replies ends, and how many replies every gating
 * replica must have produced before it may go to the client. Reply j of the primary (counting only replies to
 * requests the replicas got) needs j replies from each replica; a reply to a request the replicas never got needs as
 * many as the replies before it. Front loop only.
 */
public final class ExchangeLedger {

    /** Primary replies not yet releasable: {end offset, replies needed}. */
    private final ArrayDeque<long[]> waiting = new ArrayDeque<>();
    private long counted;
    private long releasable;

    /** The primary's reply ended at answer offset {@code end}; {@code skipped}: the replicas never got its request. */
    public void primaryReply(long end, boolean skipped) {
        if (!skipped) {
            counted++;
        }
        waiting.add(new long[] {end, counted});
    }

    /**
     * The answer offset up to which the client may have the primary's answers when every gating replica has produced
     * at least {@code replies} replies ({@link Long#MAX_VALUE}: no replica gates).
     */
    public long releasable(long replies) {
        while (!waiting.isEmpty() && waiting.peek()[1] <= replies) {
            releasable = waiting.poll()[0];
        }
        return releasable;
    }

    /** Replies a replica needs for the next waiting primary reply to go, or -1 when no complete reply waits. */
    public long neededNext() {
        return waiting.isEmpty() ? -1 : waiting.peek()[1];
    }
}
