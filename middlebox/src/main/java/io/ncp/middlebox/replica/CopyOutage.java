package io.ncp.middlebox.replica;

import java.util.concurrent.TimeUnit;

/**
 * One replica copy's outage: its replica could not be reached without refusing (a connect that failed other than by
 * a refusal, e.g. timed out, or the replica was DOWN and in its retry backoff when the session opened), so the copy
 * journals its bytes and retries until a connect succeeds. The whole outage is bounded by the replica timeout
 * ({@code replicaTimeout}); past it the copy gives up. Only with a catch-up journal: without one such a copy is lost
 * at once. Replica loop only.
 */
final class CopyOutage {

    /** How often a copy in an outage checks whether it may try its replica again (the backoff of its health). */
    static final long RETRY_MILLIS = 100;

    private final long sinceNanos;
    private final long limitNanos;
    private String last;
    private int attempts;

    /**
     * @param why        why the replica could not be reached (the connect failure, or its health)
     * @param limitNanos the longest outage the copy waits out (the replica timeout)
     */
    CopyOutage(long nowNanos, long limitNanos, String why) {
        this.sinceNanos = nowNanos;
        this.limitNanos = limitNanos;
        this.last = why;
    }

    /** Another connect failed (not refused): the outage goes on. */
    void failedAgain(String why) {
        last = why;
        attempts++;
    }

    /** Whether the outage has lasted the replica timeout. */
    boolean expired(long nowNanos) {
        return nowNanos - sinceNanos >= limitNanos;
    }

    /** The reason the copy is given up with. */
    String gaveUp(long nowNanos) {
        return "replica unreachable for " + TimeUnit.NANOSECONDS.toSeconds(nowNanos - sinceNanos)
            + " s (replicaTimeout " + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s; " + attempts
            + " reconnects failed; last: " + last + "): copy dropped";
    }
}
