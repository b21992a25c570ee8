package io.ncp.middlebox.replica;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.digest.DigestComparator;
import io.ncp.middlebox.digest.Divergence;
import io.netty.buffer.ByteBuf;

/**
 * One replica copy's answer comparison: digests the replica's answers (through the service's filter) and compares
 * them block by block with the primary's digests. Replica loop only; never retains the buffers it sees.
 */
final class AnswerCheck {

    private final AnswerFilter filter;
    private final DigestComparator comparator = new DigestComparator();
    private final BlockDigester digester = new BlockDigester((index, crc) -> comparator.replicaBlock(crc));

    AnswerCheck(AnswerFilter filter) {
        this.filter = filter;
        digester.keepHead(Divergence.HEAD);
    }

    /** A check for the filter, or null when answers are not compared. */
    static AnswerCheck of(AnswerFilter filter) {
        return filter == null ? null : new AnswerCheck(filter);
    }

    /**
     * The replica's answers continue the primary's stream from offset {@code offset}, where the primary's incomplete
     * block had CRC32C {@code partialCrc} (a session continued over a new connection; call before any answer).
     */
    void resumeAt(long offset, int partialCrc) {
        digester.resumeAt(offset, partialCrc);
        comparator.startAt(offset / BlockDigester.BLOCK);
    }

    void replicaAnswer(ByteBuf buf) {
        filter.feed(buf, digester);
    }

    void primaryBlock(int crc) {
        comparator.primaryBlock(crc);
    }

    /** Compares the ends of both streams; true when the whole answer streams matched. */
    boolean finish(long primaryTotal, int primaryPartialCrc) {
        return comparator.finish(primaryTotal, primaryPartialCrc, digester.total(), digester.partialCrc());
    }

    long divergentAt() {
        return comparator.divergentAt();
    }

    long replicaTotal() {
        return digester.total();
    }

    /** The replica's first answer bytes (up to {@link Divergence#HEAD}). */
    byte[] replicaHead() {
        return digester.head();
    }

    /** Primary answer blocks received so far. */
    long primaryBlocks() {
        return comparator.primaryBlocks();
    }
}
