package io.ncp.middlebox.digest;

/**
 * Compares one replica's answer digests with the primary's, block by block, as either side's blocks arrive.
 * Owned by the replica side's event loop (both the primary's digests, which arrive through the ring, and the
 * replica's, computed from its channel, are delivered on that loop).
 */
public final class DigestComparator {

    private final IntFifo primary = new IntFifo();
    private final IntFifo replica = new IntFifo();
    private long compared;
    private long primaryBlocks;
    private long divergentAt = -1;

    /**
     * The comparison starts at block {@code index} of both streams (a copy that continues a session from a point
     * within it; call before the first block): offsets and counts are of the whole streams.
     */
    public void startAt(long index) {
        compared = index;
        primaryBlocks = index;
    }

    /** The primary completed block {@code index} (blocks arrive in order). */
    public void primaryBlock(int crc) {
        primaryBlocks++;
        primary.add(crc);
        drain();
    }

    /** The replica completed a block. */
    public void replicaBlock(int crc) {
        replica.add(crc);
        drain();
    }

    private void drain() {
        while (!primary.isEmpty() && !replica.isEmpty()) {
            int p = primary.poll();
            int r = replica.poll();
            if (p != r && divergentAt < 0) {
                divergentAt = compared * BlockDigester.BLOCK;
            }
            compared++;
        }
    }

    /**
     * Both streams ended: compares the tails.
     *
     * @return true when the whole streams matched
     */
    public boolean finish(long primaryTotal, int primaryPartial, long replicaTotal, int replicaPartial) {
        drain();
        if (divergentAt < 0 && (primaryTotal != replicaTotal || primaryPartial != replicaPartial)) {
            divergentAt = Math.min(primaryTotal, replicaTotal) / BlockDigester.BLOCK * BlockDigester.BLOCK;
        }
        return divergentAt < 0;
    }

    /** Primary blocks received so far. */
    public long primaryBlocks() {
        return primaryBlocks;
    }

    /** Offset of the first block that differed (block-aligned), or -1 while none has. */
    public long divergentAt() {
        return divergentAt;
    }
}
