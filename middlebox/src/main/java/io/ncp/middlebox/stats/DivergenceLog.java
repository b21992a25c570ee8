package io.ncp.middlebox.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last divergent sessions of one replica (at most {@link #KEEP}), for {@code /stats} and the status page. Written
 * by the replica loops when a copy's answers diverge (rare), read by the admin thread: synchronized.
 */
public final class DivergenceLog {

    /** Entries kept. */
    public static final int KEEP = 8;

    /**
     * One divergent session copy.
     *
     * @param atMillis     when it was seen (epoch millis)
     * @param session      the session's number
     * @param exact        the first differing answer byte, or -1 when only the range is known
     * @param from         the first differing byte is at or after this offset
     * @param to           ... and at or before this one
     * @param primaryBytes the primary's answer bytes (so far)
     * @param replicaBytes the replica's answer bytes so far
     */
    public record Entry(long atMillis, long session, long exact, long from, long to, long primaryBytes,
            long replicaBytes) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    /** Adds {@code e}, dropping the oldest beyond {@link #KEEP}. */
    public synchronized void add(Entry e) {
        entries.add(e);
        while (entries.size() > KEEP) {
            entries.poll();
        }
    }

    /** The kept entries, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
