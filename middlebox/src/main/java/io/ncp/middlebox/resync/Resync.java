package io.ncp.middlebox.resync;

import io.ncp.middlebox.config.HookCommand;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ResyncConfig;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ResyncProgress.Phase;
import io.ncp.middlebox.service.ServiceRuntime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One online resync of one RESYNCING replica, run on its own thread: the snapshot point ({@link SnapshotPoint}: hold,
 * quiet, mark) and the snapshot hook within {@code maxPause}, the clients released (the pause measured), the restore
 * hook while the journal records, the replay of the journal, then IN_SYNC. Any failure (a hook's exit or timeout,
 * {@code maxPause} passed, a resync copy lost, the replica made STALE meanwhile, the middlebox stopping) releases the
 * clients, drops what was recorded and leaves the replica STALE with the reason.
 */
final class Resync implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Resync.class);
    private static final long POLL_MILLIS = 5;

    private final List<? extends ResyncShard> shards;
    private final ServiceRuntime service;
    private final ReplicaTarget target;
    private final ResyncProgress progress;
    private final ResyncConfig config;
    private final String label;

    Resync(List<? extends ResyncShard> shards, ServiceRuntime service, ReplicaTarget target, ResyncProgress progress) {
        this.shards = shards;
        this.service = service;
        this.target = target;
        this.progress = progress;
        this.config = service.config().resync();
        this.label = service.name() + ": replica " + target.label();
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        String why;
        try {
            why = snapshot();
            if (why == null) {
                why = restore();
            }
            if (why == null) {
                why = replay();
            }
        } catch (InterruptedException e) {
            why = "interrupted (the middlebox is stopping)";
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("{}: resync failed", label, e);
            why = "internal error: " + e;
        }
        long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (why == null) {
            String done = "resynced online in " + total + " ms (client pause " + progress.pauseMillis() + " ms, "
                + progress.replayedBytes() + " journal bytes replayed)";
            if (target.consistency().resynced(done)) {
                progress.done();
            } else {
                why = "it left RESYNCING meanwhile (" + target.consistency().state() + ": "
                    + target.consistency().reason() + ")";
            }
        }
        if (why != null) {
            progress.fail(why);
            target.consistency().resyncFailed(why);
            target.stats().resyncFailures.increment();
            LOG.warn("{}: resync failed after {} ms: {}", label, total, why);
        }
    }

    /** Hold, quiet, mark, snapshot hook, release: within maxPause. */
    private String snapshot() throws InterruptedException {
        SnapshotPoint point = new SnapshotPoint(shards, service, target, progress);
        long deadline = System.nanoTime() + config.maxPause().toNanos();
        try {
            String why = point.reach(config.quiet().toNanos(), deadline);
            if (why == null) {
                progress.phase(Phase.SNAPSHOT);
                why = hook("snapshot", config.snapshot(), service.primary().address(), Math.min(deadline,
                    System.nanoTime() + config.timeout().toNanos()));
                if (why == null) {
                    point.taken();
                }
                if (why != null && System.nanoTime() - deadline >= 0) {
                    why = "snapshot point not reached within maxPause " + config.maxPause().toMillis() + " ms (" + why
                        + ")";
                }
            }
            return why != null ? why : aborted();
        } finally {
            long pause = point.release();
            progress.paused(pause);
            progress.continued(point.continuedSessions());
            LOG.info("{}: resync: clients held {} ms at the snapshot point ({}; {} copies marked, {} idle sessions "
                + "continued)", label, pause, point.timeline(), point.markedCopies(), point.continuedSessions());
        }
    }

    private String restore() throws InterruptedException {
        progress.phase(Phase.RESTORING);
        String why = hook("restore", config.restore(), target.config().address(), System.nanoTime()
            + config.timeout().toNanos());
        return why != null ? why : aborted();
    }

    /** Replays every copy's journal; done when each drained (bounded by the timeout). */
    private String replay() throws InterruptedException {
        progress.startReplay();
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (progress.pendingCopies() > 0) {
            String why = aborted();
            if (why != null) {
                return why;
            }
            if (System.nanoTime() - deadline >= 0) {
                return "the journal was not replayed within " + config.timeout().toSeconds() + " s ("
                    + progress.pendingCopies() + " copies still replaying)";
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return aborted();
    }

    /** Why the resync cannot go on (a copy failed, the replica left RESYNCING), or null. */
    private String aborted() {
        if (progress.phase() == Phase.FAILED) {
            return progress.failure();
        }
        ReplicaConsistency c = target.consistency();
        if (c.state() != ReplicaConsistency.State.RESYNCING) {
            return "it left RESYNCING meanwhile (" + c.state() + ": " + c.reason() + ")";
        }
        return null;
    }

    /** Runs a hook: a command, or a request sent to {@code backend} (the snapshot's: the primary; else the replica). */
    private String hook(String name, HookCommand h, HostPort backend, long deadlineNanos) throws InterruptedException {
        if (h.isRequest()) {
            String why = RequestHook.run(name, h, backend, deadlineNanos);
            LOG.info("{}: resync {} request {} to {}: {}", label, name, h, backend, why == null ? "ok" : why);
            return why;
        }
        return new Hook(name, h.argv(), service.name(), service.primary().address(), target.config().address())
            .run(deadlineNanos);
    }
}
