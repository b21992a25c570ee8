package io.ncp.middlebox.digest;

/**
 * Where one replica's answers first differed from the primary's, as exactly as the middlebox knows it.
 *
 * <p>The comparison is by block digests ({@link BlockDigester#BLOCK} bytes), so the first differing <em>block</em> is
 * always known. The first differing <em>byte</em> needs the bytes of both sides; the middlebox keeps only the first
 * {@link #HEAD} bytes of each answer stream (the primary's travel once through the ring, each replica copy keeps its
 * own), so the exact offset is known when the streams first differ there (or one ends there): the usual case of
 * request/answer sessions with short answers. Further in a stream only the block is reported.
 *
 * @param from         the first differing byte is at this offset or later (the differing block's start, or the end of
 *                     the bytes found equal)
 * @param to           ... and at this offset or before (the differing block's last byte)
 * @param exact        the first differing byte's offset (where one stream ended, if it is a prefix of the other), or
 *                     -1 when not known
 * @param primaryBytes answer bytes the primary produced (so far, when {@code primaryEnded} is false: at least this)
 * @param replicaBytes answer bytes the replica produced so far
 * @param primaryEnded whether the primary's answer stream had ended
 */
public record Divergence(long from, long to, long exact, long primaryBytes, long replicaBytes, boolean primaryEnded) {

    /** The differing block's index. */
    public long block() {
        return to / BlockDigester.BLOCK;
    }

    /** Bytes of each answer stream kept to locate a divergence to the byte. */
    public static final int HEAD = 4096;

    /**
     * Locates a divergence.
     *
     * @param blockStart   the comparator's first differing block offset
     * @param primaryHead  the primary's first bytes (up to {@link #HEAD}), or null when they did not reach the replica
     *                     side
     * @param replicaHead  the replica's first bytes (up to {@link #HEAD}), or null
     */
    public static Divergence locate(long blockStart, byte[] primaryHead, byte[] replicaHead, long primaryBytes,
            long replicaBytes, boolean primaryEnded) {
        long exact = -1;
        long from = blockStart;
        if (blockStart < HEAD && primaryHead != null && replicaHead != null) {
            int n = Math.min(primaryHead.length, replicaHead.length);
            for (int i = 0; i < n && exact < 0; i++) {
                if (primaryHead[i] != replicaHead[i]) {
                    exact = i;
                }
            }
            // equal as far as both heads go: exact only when that is where the shorter stream ends
            if (exact < 0 && primaryEnded && primaryBytes != replicaBytes
                    && n == Math.min(primaryBytes, replicaBytes)) {
                exact = n;
            }
            from = Math.max(from, n);
        }
        long to = blockStart + BlockDigester.BLOCK - 1;
        if (primaryEnded) {
            to = Math.min(to, Math.max(primaryBytes, replicaBytes));
        }
        return new Divergence(exact >= 0 ? exact : from, to, exact, primaryBytes, replicaBytes, primaryEnded);
    }

    /** For log lines and the replica's history, e.g. {@code at answer byte 42 (primary answered 104 B, ...)}. */
    public String describe() {
        String where = exact >= 0 ? "at answer byte " + exact + " (the first differing byte)"
            : "between answer bytes " + from + " and " + to + " (one digest block; the exact byte is known only "
            + "within the first " + HEAD + " B of an answer stream)";
        return where + "; primary answered " + (primaryEnded ? "" : "at least ") + primaryBytes
            + " B, replica " + replicaBytes + " B so far";
    }
}
