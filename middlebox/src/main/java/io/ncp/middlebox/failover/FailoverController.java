package io.ncp.middlebox.failover;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.LiveSession;
import io.ncp.middlebox.service.PrimaryRole;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure detection and failover of one service. The primary and every replica are probed ({@link Prober}); a
 * replica that refuses a probe becomes STALE (it may have restarted empty) and one that misses {@code misses} probes
 * in a row DOWN. A primary that misses {@code misses} probes in a row is DOWN and, with {@code promote}, is replaced
 * (after a majority of the voters agreed, when voters are configured, {@link Voters}): the old primary is fenced, the
 * IN_SYNC and UP replica with the highest priority (ties: the first listed) is promoted, new sessions go to it and
 * every live session is told ({@link LiveSession}: carried over or reset). The reason and the recovery time pieces
 * are logged and kept ({@link FailoverRecord}).
 *
 * <p>Threading: every probe result and every decision runs on the prober's loop; the service's state it changes
 * is thread-safe.
 */
public final class FailoverController {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverController.class);

    private final ServiceRuntime svc;
    private final FailoverConfig cfg;
    private final Prober prober;
    private final Voters voters;
    private final Map<ReplicaTarget, ScheduledFuture<?>> replicaWatches = new IdentityHashMap<>();
    private final Map<ReplicaTarget, Integer> replicaMisses = new IdentityHashMap<>();
    /** protocol redis: each replica's run id as last seen (a change while in sync: it restarted); else unused. */
    private final Map<ReplicaTarget, SeenId> runIds = new IdentityHashMap<>();

    /** A run id as seen at {@code atMillis}, while the replica held every byte ({@code whole}) or not. */
    private record SeenId(String id, long atMillis, boolean whole) {
    }
    private ScheduledFuture<?> primaryWatch;
    private int primaryMisses;
    private long suspectNanos;
    private boolean deciding;
    private long impossible;
    private long vetoes;
    private volatile boolean stopped;
    private final Consumer<FailoverRecord> onFailover;

    public FailoverController(ServiceRuntime svc, Prober prober, Voters voters) {
        this(svc, prober, voters, r -> { });
    }

    /** @param onFailover told of each failover right after the switch (e.g. to keep it for the next run) */
    public FailoverController(ServiceRuntime svc, Prober prober, Voters voters,
            Consumer<FailoverRecord> onFailover) {
        this.svc = svc;
        this.cfg = svc.config().failover();
        this.prober = prober;
        this.voters = voters;
        this.onFailover = onFailover;
    }

    /** Starts probing (call once). */
    public void start() {
        prober.loop().execute(() -> {
            if (stopped) {
                return;
            }
            primaryWatch = prober.watch(svc.primary()::address, cfg, this::primaryResult);
            for (ReplicaTarget r : svc.primary().sessionReplicas()) {
                replicaWatches.put(r, prober.watch(() -> r.config().address(), cfg, res -> replicaResult(r, res)));
            }
            warmUp();
        });
    }

    /**
     * Runs the decision's code once without effect, so the first failover does not pay class loading and lambda
     * bootstrap on its critical path (the failover benchmark measured 131-335 ms from "down" to "promoted" cold).
     */
    private void warmUp() {
        List<ReplicaTarget> c = candidates();
        String d = describe(c) + new FailoverRecord("warm-up", "warm-up", 0, "warm-up", 0, 0, 0).toString();
        LOG.trace("{}: failover path warmed up ({} candidates now: {})", svc.name(), c.size(), d);
    }

    /** The replicas a failover could promote now, best first: IN_SYNC and UP, highest priority, then as listed. */
    private List<ReplicaTarget> candidates() {
        return svc.primary().sessionReplicas().stream()
            .filter(r -> r.consistency().inSync() && r.health().up())
            .sorted(Comparator.comparingInt((ReplicaTarget r) -> -r.config().priority())
                .thenComparingInt(ReplicaTarget::index))
            .collect(Collectors.toList());
    }

    /** Stops probing (the service was removed or replaced). */
    public void stop() {
        stopped = true;
        prober.loop().execute(() -> {
            if (primaryWatch != null) {
                primaryWatch.cancel(false);
            }
            replicaWatches.values().forEach(f -> f.cancel(false));
            replicaWatches.clear();
        });
    }

    private void replicaResult(ReplicaTarget r, ProbeResult res) {
        if (stopped || !replicaWatches.containsKey(r)) {
            return;
        }
        if (res.ok()) {
            replicaMisses.put(r, 0);
            r.health().connected();
            if (svc.config().protocol() == Protocol.REDIS) {
                prober.identify(r.config().address(), RedisIdentity.request(r.config().auth()),
                    cfg.timeout().toMillis(), id -> identified(r, id));
            }
            return;
        }
        if (res.refused()) {
            r.consistency().stale("refused a probe (" + res.detail() + "): it may have restarted empty");
        }
        int misses = replicaMisses.merge(r, 1, Integer::sum);
        if (misses >= cfg.misses()) {
            r.health().failed(System.nanoTime(), misses + " probes missed: " + res.detail());
        }
    }

    /**
     * A replica's run id: a different one than before while the replica counts as holding every byte (IN_SYNC or
     * CATCHING_UP) means it restarted unseen (between probes, no connection open across it): STALE. While it is
     * being repaired (STALE, RESYNCING) the new id is simply taken as the reference.
     */
    private void identified(ReplicaTarget r, String id) {
        if (stopped || id == null || !replicaWatches.containsKey(r)) {
            return;
        }
        r.stats().identityChecks.increment();
        ReplicaConsistency c = r.consistency();
        boolean whole = holdsEverything(c.state());
        SeenId before = runIds.put(r, new SeenId(id, System.currentTimeMillis(), whole));
        if (before == null || before.id().equals(id) || !before.whole() || !whole) {
            return;
        }
        boolean repaired = c.history().stream().anyMatch(t -> t.atMillis() >= before.atMillis()
            && !holdsEverything(t.to())); // resynced or readmitted since: the new id is the reference
        if (!repaired) {
            c.stale("its run_id changed (" + before.id() + " -> " + id + "): it restarted unseen and may have lost "
                + "data");
        }
    }

    private static boolean holdsEverything(ReplicaConsistency.State s) {
        return s == ReplicaConsistency.State.IN_SYNC
            || s == ReplicaConsistency.State.CATCHING_UP;
    }

    private void primaryResult(ProbeResult res) {
        if (stopped || deciding) {
            return;
        }
        long now = System.nanoTime();
        if (res.ok()) {
            primaryMisses = 0;
            svc.primarySuspect(false);
            svc.primaryHealth().connected(res.startedNanos());
            return;
        }
        if (primaryMisses++ == 0) {
            suspectNanos = now;
            svc.primarySuspect(cfg.promote());
        }
        if (primaryMisses < cfg.misses()) {
            return;
        }
        String reason = "primary " + svc.primary().address() + " missed " + primaryMisses + " probes (last: "
            + res.detail() + ")";
        svc.primaryHealth().failed(now, reason);
        if (!cfg.promote()) {
            if (LogLimit.sparse(++impossible)) {
                LOG.warn("{}: {}; failover is off (promote: false)", svc.name(), reason);
            }
            return;
        }
        deciding = true;
        voters.confirm(svc.primary().address(), cfg, prober, verdict -> decided(verdict, reason, now));
    }

    private void decided(Voters.Verdict verdict, String reason, long downNanos) {
        deciding = false;
        if (stopped) {
            return;
        }
        if (voters != Voters.ALONE) {
            svc.voted(verdict.down(), verdict.detail());
        }
        if (!verdict.down()) {
            primaryMisses = 0;
            svc.primarySuspect(false);
            if (LogLimit.sparse(++vetoes)) {
                LOG.warn("{}: {}, but the voters do not agree ({}): no failover (vetoes so far: {})", svc.name(),
                    reason, verdict.detail(), vetoes);
            }
            return;
        }
        promote(reason + (verdict.detail().isEmpty() ? "" : "; " + verdict.detail()), downNanos);
    }

    private void promote(String reason, long downNanos) {
        List<ReplicaTarget> candidates = candidates();
        if (candidates.isEmpty()) {
            svc.primarySuspect(false); // no verdict will come: held sessions and waiting clients give up
            if (LogLimit.sparse(++impossible)) {
                LOG.error("{}: {}; cannot fail over: no replica is IN_SYNC and UP ({})", svc.name(), reason,
                    describe(svc.primary().sessionReplicas()));
            }
            return;
        }
        ReplicaTarget best = candidates.get(0);
        PrimaryRole.Switch sw = svc.primary().promote(best);
        ScheduledFuture<?> w = replicaWatches.remove(best);
        if (w != null) {
            w.cancel(false); // probed as the primary from now on
        }
        long promoted = System.nanoTime();
        FailoverRecord record = new FailoverRecord(sw.from().toString(), best.label(), sw.epoch(), reason,
            suspectNanos, downNanos, promoted);
        svc.failedOver(record);
        onFailover.accept(record);
        svc.primarySuspect(false);
        primaryMisses = 0;
        LOG.warn("{}: FAILOVER (epoch {}): {} fenced, {} promoted ({}; chosen among {}), detected {} ms after the "
            + "first missed probe", svc.name(), sw.epoch(), sw.from(), best.label(), reason, describe(candidates),
            record.detectMillis());
        for (LiveSession s : svc.liveSessions()) {
            s.primaryReplaced(sw, record);
        }
    }

    private static String describe(List<ReplicaTarget> replicas) {
        List<String> parts = new ArrayList<>();
        for (ReplicaTarget r : replicas) {
            parts.add(r.label() + " " + r.consistency().state() + "/" + r.health().state() + " priority "
                + r.config().priority());
        }
        return String.join(", ", parts);
    }
}
