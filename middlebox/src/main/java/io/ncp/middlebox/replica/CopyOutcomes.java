package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.digest.Divergence;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.stats.DivergenceLog;
import io.ncp.middlebox.stats.LogLimit;
import io.ncp.middlebox.stats.ReplicaStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happened to one replica copy, made known: each outcome increments its counter, logs sparsely, and when the
 * replica missed bytes marks it STALE with the reason (its {@link io.ncp.middlebox.service.ReplicaConsistency}).
 * Stateless apart from what it is for; replica loop only.
 */
final class CopyOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(CopyOutcomes.class);

    private final String service;
    private final ReplicaTarget target;
    private final ReplicaStats stats;
    private final long session;

    CopyOutcomes(String service, ReplicaTarget target, long session) {
        this.service = service;
        this.target = target;
        this.stats = target.stats();
        this.session = session;
    }

    /** The replica was down (in its retry backoff) when the session opened: it misses the whole session. */
    void missed() {
        stats.missed.increment();
        target.consistency().stale("missed session " + session + ": replica down (" + target.health().reason()
            + ")");
    }

    /** Connecting failed: the copy is lost; a refusal means the replica may have restarted empty. */
    String connectFailed(Throwable cause) {
        stats.connectFailures.increment();
        String why = cause == null ? "connect cancelled" : String.valueOf(cause.getMessage());
        target.health().failed(System.nanoTime(), why);
        if (LogLimit.sparse(stats.connectFailures.sum())) {
            LOG.warn("{}: replica {} unreachable: {} (failures so far: {}; retried for new sessions)", service,
                target.label(), why, stats.connectFailures.sum());
        }
        return Channels.isRefusal(cause) ? "connection refused (" + why + "): it may have restarted empty"
            : "could not connect: " + why;
    }

    /** Its backlog (or all backlogs: the memory guard) overflowed. */
    String lagging(boolean overBacklog, long backlogLimit, long memoryLimit) {
        stats.lagging.increment();
        String why = (overBacklog ? "backlog over " + Units.formatSize(backlogLimit)
            : "direct memory over " + Units.formatSize(memoryLimit)) + ": lagging, copy dropped";
        log(stats.lagging.sum(), why);
        return why;
    }

    /** Its copy started spilling to the catch-up journal. */
    void spilling(boolean overBacklog, long backlogLimit, long memoryLimit, String file) {
        stats.spills.increment();
        String why = (overBacklog ? "backlog over " + Units.formatSize(backlogLimit)
            : "direct memory over " + Units.formatSize(memoryLimit)) + ": session " + session + " spills to " + file;
        log(stats.spills.sum(), why);
        target.consistency().catchUpStarted(why);
    }

    /** Its replica could not be reached ({@code why}, not refused): the copy journals its bytes and retries. */
    void unreachable(String why, String file) {
        stats.spills.increment();
        String what = "replica unreachable (" + why + "): session " + session + " journals to " + file
            + " until it answers";
        log(stats.spills.sum(), what);
        target.consistency().catchUpStarted(what);
    }

    /** The catch-up journal could not take its bytes (full, or the disk refused). */
    String journalFailed(Exception e) {
        stats.lagging.increment();
        String why = (e instanceof io.ncp.middlebox.replica.catchup.SpillFullException ? "catch-up journal full: "
            : "catch-up journal failed: ") + e.getMessage() + "; copy dropped";
        log(stats.lagging.sum(), why);
        return why;
    }

    /** It took no byte for the replica timeout. */
    String stalled(long stallNanos, long waiting) {
        stats.stalled.increment();
        String why = "replica took no byte for " + stallNanos / 1_000_000_000 + " s (" + Units.formatSize(waiting)
            + " waiting): copy dropped";
        log(stats.stalled.sum(), why);
        return why;
    }

    /** Its connection was lost while bytes were still to be sent. */
    String lost(String detail) {
        stats.lost.increment();
        String why = "connection lost with bytes still to send (" + detail + ")";
        log(stats.lost.sum(), why);
        return why;
    }

    /** Its authentication did not complete within the replica timeout: the client bytes held meanwhile are lost. */
    String authStalled(long stallNanos) {
        stats.stalled.increment();
        String why = "replica authentication not complete after " + stallNanos / 1_000_000_000
            + " s: copy dropped";
        log(stats.stalled.sum(), why);
        return why;
    }

    /** Lockstep: it held the client's answers too long and was dropped from the session. */
    String ejected() {
        stats.lagging.increment();
        return "lockstep: held the client's answers too long, dropped from session " + session;
    }

    /**
     * Its answers differed from the primary's (counted once per copy). Logged sparsely (1st, 2nd, 4th, ... divergent
     * copy of this replica): a service whose answers always differ (an HTTP Date header) would otherwise log every
     * session on the replica loop; every divergence is still counted and kept in the replica's divergence log.
     *
     * @param request the request the divergence is attributed to ("at request #3 (GET)"), or null
     */
    void diverged(Divergence d, String request) {
        stats.divergent.increment();
        stats.divergences.add(new DivergenceLog.Entry(System.currentTimeMillis(), session, d.exact(), d.from(), d.to(),
            d.primaryBytes(), d.replicaBytes()));
        String why = "answers diverged in session " + session + (request == null ? "" : " " + request) + " "
            + d.describe();
        long n = stats.divergent.sum();
        if (LogLimit.sparse(n)) {
            LOG.warn("{}: replica {} {} (divergent copies so far: {})", service, target.label(), why, n);
        }
        target.consistency().stale(why);
    }

    /** The copy lost bytes for {@code why}: counted as damaged, the replica is STALE. */
    void damaged(String why) {
        stats.damaged.increment();
        LOG.debug("{}: replica {} copy of session {} damaged: {}", service, target.label(), session, why);
        target.consistency().stale(why + " (session " + session + ")");
    }

    private void log(long count, String what) {
        if (LogLimit.sparse(count)) {
            LOG.warn("{}: replica {} session {}: {} (total {})", service, target.label(), session, what, count);
        }
    }
}
