package io.ncp.middlebox.replica;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.digest.Divergence;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.ring.AnswerProgress;
import io.netty.buffer.ByteBuf;

/**
 * One replica copy's answers: how many bytes the replica produced (reported to a lockstep session's gate), and their
 * comparison with the primary's, block by block as both arrive, so a divergence is seen when it happens (not only
 * when the session ends). Replica loop only; never retains the buffers it sees.
 */
final class CopyAnswers {

    /** Null when the service does not compare answers. */
    private final AnswerCheck check;
    /** Null unless the session is lockstep. */
    private final AnswerProgress progress;
    private final int index;
    private long answered;
    private boolean divergenceSeen;

    /** Non-null for request-aware sessions (redis, postgres, http): frames the answers (lockstep counts replies). */
    private final FramingAnswerFilter resp;

    /**
     * @param filter   the answer filter (null: none)
     * @param compared whether answers are compared (else a framing filter only frames them)
     */
    CopyAnswers(AnswerFilter filter, boolean compared, AnswerProgress progress, int index) {
        this.check = compared ? AnswerCheck.of(filter) : null;
        this.resp = filter instanceof FramingAnswerFilter r ? r : null;
        this.progress = progress;
        this.index = index;
    }

    /**
     * The answers continue the primary's stream from offset {@code offset} (incomplete block CRC32C
     * {@code partialCrc}): a session continued over a new connection. A no-op when answers are not compared.
     */
    void resumeAt(long offset, int partialCrc) {
        if (check != null) {
            check.resumeAt(offset, partialCrc);
        }
    }

    /** Request-aware sessions: replayed request {@code ordinal} has exchange bits {@code exchange}. */
    void expect(long ordinal, int exchange) {
        if (resp != null) {
            resp.expect(ordinal, exchange);
        }
    }

    /**
     * The replica answered {@code buf} (borrowed).
     *
     * @return true when this made the answers diverge for the first time
     */
    boolean replicaAnswer(ByteBuf buf) {
        answered += buf.readableBytes();
        if (check != null) {
            check.replicaAnswer(buf);
        } else if (resp != null) {
            resp.feed(buf, null);
        }
        if (progress != null) {
            progress.progress(index, resp != null ? resp.frames() : answered); // framed: replies, else bytes
        }
        return check != null && newlyDiverged();
    }

    /** The primary completed an answer block; true when this made the answers diverge for the first time. */
    boolean primaryBlock(int crc) {
        if (check == null) {
            return false;
        }
        check.primaryBlock(crc);
        return newlyDiverged();
    }

    private boolean newlyDiverged() {
        if (!divergenceSeen && check.divergentAt() >= 0) {
            divergenceSeen = true;
            return true;
        }
        return false;
    }

    /**
     * Both answer streams ended: compares their tails.
     *
     * @return true when the tails made the answers diverge for the first time
     */
    boolean finish(long primaryTotal, int primaryPartial) {
        check.finish(primaryTotal, primaryPartial);
        return newlyDiverged();
    }

    /** The copy is gone: a lockstep gate stops waiting for it. */
    void gone() {
        if (progress != null) {
            progress.gone(index);
        }
    }

    boolean compared() {
        return check != null;
    }

    boolean diverged() {
        return divergenceSeen;
    }

    /** The copy's place in the session's replica list. */
    int position() {
        return index;
    }

    long answered() {
        return answered;
    }

    /** Replica answer bytes after the service's filter (what is compared). */
    long comparedBytes() {
        return check == null ? answered : check.replicaTotal();
    }

    /**
     * Request-aware sessions: the request whose answer holds divergence {@code d}, e.g. {@code at request #7 (GET)}
     * (when the first differing byte is known) or {@code in the block starting in request #7 (GET)}; null otherwise.
     */
    String request(Divergence d, ReplicaSession session) {
        if (resp == null) {
            return null;
        }
        long n = resp.requestAt(d.exact() >= 0 ? d.exact() : d.from());
        String what = n < 0 ? "a push message" : n == 0 ? "an unknown request"
            : "request #" + n + " (" + java.util.Objects.requireNonNullElse(session.requestName(n), "?") + ")";
        return (d.exact() >= 0 ? "at " : "in the digest block starting in ") + what;
    }

    /** Where the answers first differed (after a divergence was reported), with the session's primary head. */
    Divergence divergence(ReplicaSession session) {
        boolean ended = session.primaryEnded();
        long primaryBytes = ended ? session.primaryTotal() : check.primaryBlocks() * BlockDigester.BLOCK;
        return Divergence.locate(check.divergentAt(), session.primaryHead(), check.replicaHead(), primaryBytes,
            check.replicaTotal(), ended);
    }
}
