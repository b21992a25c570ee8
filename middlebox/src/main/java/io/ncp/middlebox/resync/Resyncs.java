package io.ncp.middlebox.resync;

import io.ncp.middlebox.config.ResyncConfig;
import io.ncp.middlebox.service.ReplicaConsistency;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.ncp.middlebox.service.ServiceRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The middlebox's online resyncs: {@link #start} begins one (admin API, CLI) on a thread of its own, at most one per
 * service at a time; with {@code autoResync: true} a check every second resyncs a replica that became STALE by
 * itself, at most once per {@code resync.minInterval} per replica (counted apart). Thread-safe (its monitor).
 */
public final class Resyncs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Resyncs.class);
    private static final long AUTO_CHECK_MILLIS = 1000;

    private final List<? extends ResyncShard> shards;
    private final Supplier<List<ServiceRuntime>> services;
    /** The running resync per service name. */
    private final Map<String, Thread> running = new HashMap<>();
    /** When autoResync last started a resync of a replica (nanoTime), by its consistency (carried across a PUT). */
    private final Map<ReplicaConsistency, Long> lastAuto = new IdentityHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService auto;
    private boolean closed;

    /**
     * @param shards   every shard of the middlebox
     * @param services the services now (checked by autoResync)
     */
    public Resyncs(List<? extends ResyncShard> shards, Supplier<List<ServiceRuntime>> services) {
        this.shards = List.copyOf(shards);
        this.services = services;
    }

    /** Starts the autoResync check (call once). */
    public synchronized void startAuto() {
        auto = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ncp-auto-resync");
            t.setDaemon(true);
            return t;
        });
        auto.scheduleWithFixedDelay(this::autoCheck, AUTO_CHECK_MILLIS, AUTO_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts resyncing replica {@code r} of {@code svc}.
     *
     * @param force   resync even when it is not STALE
     * @param trigger who asked, for the log and the history
     * @return null when it started, else why not (one line)
     */
    public synchronized String start(ServiceRuntime svc, ReplicaTarget r, boolean force, String trigger) {
        String refusal = refusal(svc);
        if (refusal != null) {
            return refusal;
        }
        ResyncProgress p = new ResyncProgress(trigger);
        String why = r.consistency().resyncStarted(p, force);
        if (why != null) {
            return why;
        }
        r.stats().resyncs.increment();
        Thread t = new Thread(() -> {
            try {
                new Resync(shards, svc, r, p).run();
            } finally {
                finished(svc.name());
            }
        }, "ncp-resync-" + svc.name());
        t.setDaemon(true);
        running.put(svc.name(), t);
        threads.add(t);
        t.start();
        return null;
    }

    private String refusal(ServiceRuntime svc) {
        ResyncConfig c = svc.config().resync();
        if (closed) {
            return "the middlebox is stopping";
        }
        if (c == null) {
            return "service '" + svc.name() + "' has no resync section (snapshot and restore hooks) in its config";
        }
        if (svc.config().listen() == null) {
            return "service '" + svc.name() + "' is mirrored: its clients cannot be held at a snapshot point";
        }
        for (ResyncShard s : shards) {
            if (!s.replicaSide().hasJournal()) {
                return "a resync records into the catch-up journal, which is off (journal: off / --journal-dir off)";
            }
        }
        Thread t = running.get(svc.name());
        if (t != null && t.isAlive()) {
            return "a resync of service '" + svc.name() + "' is under way (one at a time per service)";
        }
        return null;
    }

    private synchronized void finished(String service) {
        if (running.get(service) == Thread.currentThread()) {
            running.remove(service);
        }
        threads.remove(Thread.currentThread());
    }

    /** autoResync: a STALE replica of a service that wants it is resynced, rate-limited. */
    private void autoCheck() {
        try {
            for (ServiceRuntime svc : services.get()) {
                ResyncConfig c = svc.config().resync();
                if (c == null || !c.auto()) {
                    continue;
                }
                for (ReplicaTarget r : svc.replicas()) {
                    if (r.consistency().state() == ReplicaConsistency.State.STALE) {
                        autoStart(svc, r, c);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("autoResync check failed", e);
        }
    }

    private synchronized void autoStart(ServiceRuntime svc, ReplicaTarget r, ResyncConfig c) {
        long now = System.nanoTime();
        Long last = lastAuto.get(r.consistency());
        if (last != null && now - last < c.minInterval().toNanos() || refusal(svc) != null) {
            return;
        }
        String reason = r.consistency().reason();
        String why = start(svc, r, false, "autoResync: " + reason);
        if (why == null) {
            lastAuto.put(r.consistency(), now);
            r.stats().autoResyncs.increment();
            LOG.warn("{}: replica {} is STALE ({}): autoResync started", svc.name(), r.label(), reason);
        }
    }

    /** Stops autoResync and interrupts running resyncs (they end STALE), waiting a little for them. */
    @Override
    public void close() {
        List<Thread> stop;
        synchronized (this) {
            closed = true;
            if (auto != null) {
                auto.shutdownNow();
            }
            stop = new ArrayList<>(threads);
        }
        for (Thread t : stop) {
            t.interrupt();
        }
        for (Thread t : stop) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
