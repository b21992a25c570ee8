package io.ncp.onos.impl;

import io.ncp.onos.planner.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.onlab.util.Tools.groupedThreads;

/**
 * Watches the middleboxes' {@code GET /health} (no token needed). Every {@code interval} each watched admin address
 * gets one probe (never two at once); any HTTP answer, whatever its status (200, 503, 401...), means the middlebox
 * process is alive. A probe with no HTTP answer within {@code timeout} (connection refused or reset, timeout) is a
 * miss (NcpManager uses {@code timeout = interval}); {@code misses} consecutive misses make the middlebox GONE
 * ({@link Listener#gone}, logged once), and the next answer brings it back ({@link Listener#back}, logged once).
 * One answer resets the miss count, so a single lost probe changes nothing. A middlebox never seen is presumed alive
 * until it misses {@code misses} probes.
 *
 * <p>Threading: probes are sent asynchronously by this monitor's HttpClient; ticks, answers and the probe state run
 * on the single {@code onos-ncp-health-0} thread, which also calls the listener (it must only queue work).
 * {@link #isGone} is thread-safe. {@link #stop} ends the thread; no listener call follows it.
 */
final class MiddleboxHealthMonitor {

    /** Receives state changes on the monitor thread; must not block. */
    interface Listener {
        /** The middlebox at {@code admin} missed the configured number of consecutive probes. */
        void gone(HostPort admin, String lastError);

        /** The middlebox at {@code admin}, GONE until now, answered a probe. */
        void back(HostPort admin);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MiddleboxHealthMonitor.class);

    private final Supplier<Set<HostPort>> watched;
    private final Listener listener;
    private final ScheduledThreadPoolExecutor thread;
    /** Monitor thread only. */
    private final Map<HostPort, Probe> probes = new HashMap<>();
    private final Set<HostPort> gone = ConcurrentHashMap.newKeySet();
    private volatile HttpClient http;
    private volatile Duration timeout;
    private volatile int missesLimit;
    private volatile boolean stopped;
    private ScheduledFuture<?> ticks;

    /**
     * @param watched  the admin addresses to watch, asked at each tick (must be thread-safe and cheap)
     * @param listener told about GONE/back transitions
     */
    MiddleboxHealthMonitor(Supplier<Set<HostPort>> watched, Listener listener) {
        this.watched = watched;
        this.listener = listener;
        this.thread = new ScheduledThreadPoolExecutor(1, groupedThreads("onos/ncp", "health-%d", LOG));
        this.thread.setRemoveOnCancelPolicy(true);
    }

    /** Starts probing, or changes the period, timeout and miss count of a running monitor (probe state is kept). */
    synchronized void start(Duration interval, Duration timeout, int misses) {
        if (stopped) {
            return;
        }
        if (ticks != null) {
            ticks.cancel(false);
        }
        this.timeout = timeout;
        missesLimit = misses;
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        long ms = interval.toMillis();
        ticks = thread.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Stops probing; waits up to {@code grace} for the monitor thread to end. */
    void stop(Duration grace) {
        synchronized (this) {
            stopped = true;
        }
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("NCP health monitor: thread still running after {}", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gone.clear();
    }

    /** True while the middlebox at {@code admin} is GONE. */
    boolean isGone(HostPort admin) {
        return admin != null && gone.contains(admin);
    }

    /** One round of probes; an unexpected failure is logged and must not end the periodic task. */
    private void tick() {
        try {
            probeAll();
        } catch (RuntimeException e) {
            LOG.error("NCP health monitor: probe round failed", e);
        }
    }

    private void probeAll() {
        Set<HostPort> want = watched.get();
        probes.keySet().removeIf(a -> !want.contains(a));
        gone.removeIf(a -> !want.contains(a));
        for (HostPort admin : want) {
            Probe p = probes.computeIfAbsent(admin, a -> new Probe());
            if (p.inFlight) {
                continue;
            }
            p.inFlight = true;
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + admin + "/health")).timeout(timeout)
                    .GET().build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                    .whenCompleteAsync((resp, err) -> answered(admin, p, resp, err), thread);
        }
    }

    private void answered(HostPort admin, Probe p, HttpResponse<Void> resp, Throwable err) {
        p.inFlight = false;
        if (stopped || probes.get(admin) != p) {
            return;
        }
        if (err == null) {
            if (p.gone) {
                p.gone = false;
                gone.remove(admin);
                LOG.info("NCP: middlebox {} answers GET /health again (HTTP {})", admin, resp.statusCode());
                listener.back(admin);
            }
            p.misses = 0;
            return;
        }
        p.misses++;
        String why = describe(err);
        if (!p.gone && p.misses >= missesLimit) {
            p.gone = true;
            gone.add(admin);
            LOG.warn("NCP: middlebox {} is gone: {} consecutive GET /health probes without an answer (last: {})",
                    admin, p.misses, why);
            listener.gone(admin, why);
        } else if (!p.gone) {
            LOG.debug("NCP: middlebox {} missed health probe {}/{}: {}", admin, p.misses, missesLimit, why);
        }
    }

    private static String describe(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause.toString();
    }

    /** Probe state of one admin address (monitor thread only). */
    private static final class Probe {
        int misses;
        boolean inFlight;
        boolean gone;
    }
}
