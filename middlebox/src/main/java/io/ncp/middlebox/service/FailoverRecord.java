package io.ncp.middlebox.service;

import java.util.concurrent.TimeUnit;

/**
 * What one failover did and how long its parts took (the recovery time pieces), kept for {@code /stats}: when the
 * first probe missed, when the primary was declared down, when the replica was promoted, when the first answer from
 * it reached a client; how many live sessions were carried over to it or reset; and in async mode what the promoted
 * replica had not received or answered yet when it was promoted (its recovery point). Written by the failover (probe
 * loop) and the first answering front loop; read anywhere.
 */
public final class FailoverRecord {

    private final long atMillis = System.currentTimeMillis();
    private final String from;
    private final String to;
    private final long epoch;
    private final String reason;
    private final long suspectNanos;
    private final long downNanos;
    private final long promotedNanos;
    private volatile long firstAnswerNanos;
    private volatile int carried;
    private volatile int reset;
    private volatile long unreceivedBytes;
    private volatile long unansweredBytes;

    public FailoverRecord(String from, String to, long epoch, String reason, long suspectNanos, long downNanos,
            long promotedNanos) {
        this.from = from;
        this.to = to;
        this.epoch = epoch;
        this.reason = reason;
        this.suspectNanos = suspectNanos;
        this.downNanos = downNanos;
        this.promotedNanos = promotedNanos;
    }

    /** The first answer byte from the new primary reached a client (the first call counts). */
    public void firstAnswer(long nowNanos) {
        if (firstAnswerNanos == 0) {
            firstAnswerNanos = nowNanos;
        }
    }

    public boolean answered() {
        return firstAnswerNanos != 0;
    }

    /** A live session was carried over to the new primary ({@code true}) or reset. */
    public synchronized void session(boolean wasCarried) {
        if (wasCarried) {
            carried++;
        } else {
            reset++;
        }
    }

    /** What the promoted replica lacked of a live session when promoted (bytes sent / answered elsewhere). */
    public synchronized void recoveryPoint(long unreceived, long unanswered) {
        unreceivedBytes += unreceived;
        unansweredBytes += unanswered;
    }

    public long atMillis() {
        return atMillis;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public long epoch() {
        return epoch;
    }

    public String reason() {
        return reason;
    }

    /** First missed probe to the decision that the primary is down. */
    public long detectMillis() {
        return millis(downNanos - suspectNanos);
    }

    /** First missed probe to the promotion. */
    public long promoteMillis() {
        return millis(promotedNanos - suspectNanos);
    }

    /** First missed probe to the first answer from the new primary; -1 until one came. */
    public long firstAnswerMillis() {
        long f = firstAnswerNanos;
        return f == 0 ? -1 : millis(f - suspectNanos);
    }

    public int carried() {
        return carried;
    }

    public int reset() {
        return reset;
    }

    public long unreceivedBytes() {
        return unreceivedBytes;
    }

    public long unansweredBytes() {
        return unansweredBytes;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
