package io.ncp.replay.player;

import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays the client-to-server streams of a {@link SessionEventSource} to one target.
 *
 * <p>The calling thread is the scheduler: it pulls events in capture order, waits until each is due (per
 * {@link Timing}), and hands it to the session's {@link SessionConnection}. Sessions that overlapped in the
 * capture overlap in the replay; before a session opens, every session whose client side had already closed
 * in the capture must be finished here too, so the target sees sequential sessions in their original order.
 * A client-to-server gap ends the session's replay at the gap (or, with {@code skipDamaged}, the session is
 * never started). Client bytes in flight are bounded by {@link ReplayConfig#maxInFlightBytes()}.
 */
public final class ReplayEngine {

    private static final int MAX_ERROR_MESSAGES = 10;

    private final ReplayConfig config;
    private final ReplayStats stats = new ReplayStats();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong writtenTotal = new AtomicLong();
    private final List<String> errorMessages = new ArrayList<>();
    private final Map<Long, SessionConnection> sending = new HashMap<>();
    private final Set<Long> skipped = new HashSet<>();
    private final List<SessionConnection> closing = new ArrayList<>();
    private final List<SessionConnection> all = new ArrayList<>();
    private final PrintStream progressOut;
    private EventLoopGroup group;

    /** @param progressOut where progress lines go (stderr for the CLI), or null for none */
    public ReplayEngine(ReplayConfig config, PrintStream progressOut) {
        this.config = config;
        this.progressOut = progressOut;
    }

    ReplayConfig config() {
        return config;
    }

    public ReplayStats stats() {
        return stats;
    }

    /** The first few error messages (connection failures, stalls). */
    public synchronized List<String> errorMessages() {
        return List.copyOf(errorMessages);
    }

    synchronized void error(String message) {
        stats.errors.incrementAndGet();
        if (errorMessages.size() < MAX_ERROR_MESSAGES) {
            errorMessages.add(message);
        }
    }

    void written(int n) {
        inFlight.addAndGet(-n);
        writtenTotal.addAndGet(n);
    }

    /**
     * Replays {@code source} to the target and returns when every session is finished.
     *
     * @param damaged sessions with a client-to-server gap (from a first pass), skipped when configured so
     */
    public ReplayStats run(SessionEventSource source, Set<Long> damaged) throws IOException, InterruptedException {
        group = new NioEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()));
        ProgressLine progress = new ProgressLine(progressOut, config.progressInterval(), stats, source);
        try {
            long startWall = System.nanoTime();
            long firstTs = Long.MIN_VALUE;
            SessionEvent e;
            while ((e = source.next()) != null) {
                if (!config.timing().fast()) {
                    if (firstTs == Long.MIN_VALUE) {
                        firstTs = e.timestampNanos();
                    }
                    long due = startWall + (long) ((e.timestampNanos() - firstTs) / config.timing().speed());
                    waitUntil(due, progress);
                }
                dispatch(e, damaged);
                progress.maybePrint();
            }
            for (SessionConnection c : sending.values()) {
                c.finish(false);
                closing.add(c);
            }
            sending.clear();
            awaitAll(all, progress);
            progress.finish();
            return stats;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private void dispatch(SessionEvent e, Set<Long> damaged) throws InterruptedException {
        long id = e.sessionId();
        boolean client = e.direction() == Direction.CLIENT_TO_SERVER;
        switch (e.kind()) {
            case OPEN:
                stats.sessions.incrementAndGet();
                if (config.skipDamaged() && damaged.contains(id)) {
                    stats.skippedDamaged.incrementAndGet();
                    skipped.add(id);
                    return;
                }
                awaitAll(closing, null);
                closing.clear();
                SessionConnection c = new SessionConnection(id, this, group.next());
                sending.put(id, c);
                if (all.size() >= 4096) {
                    all.removeIf(s -> s.done().isDone()); // keep memory bounded on captures with many sessions
                }
                all.add(c);
                c.connect();
                return;
            case DATA:
                SessionConnection target = sending.get(id);
                if (!client) {
                    if (!skipped.contains(id)) {
                        stats.bytesCapturedAnswers.addAndGet(e.length());
                    }
                    e.release();
                } else if (target == null) {
                    stats.bytesNotSent.addAndGet(e.length());
                    e.release();
                } else {
                    awaitInFlight(e.length());
                    inFlight.addAndGet(e.length());
                    target.send(e.data());
                }
                return;
            case GAP:
                if (client && sending.containsKey(id)) {
                    stats.cutAtGap.incrementAndGet();
                    endSending(id, false);
                }
                return;
            case CLOSE:
            default:
                if (client && sending.containsKey(id)) {
                    endSending(id, e.reason() == CloseReason.RST);
                }
        }
    }

    private void endSending(long id, boolean abort) {
        SessionConnection c = sending.remove(id);
        c.finish(abort);
        closing.add(c); // later client bytes of this session find no connection and are not sent
    }

    private void awaitInFlight(long n) throws InterruptedException {
        long lastProgress = System.nanoTime();
        long lastWritten = writtenTotal.get();
        while (inFlight.get() > 0 && inFlight.get() + n > config.maxInFlightBytes()) {
            Thread.sleep(1);
            if (writtenTotal.get() != lastWritten) {
                lastWritten = writtenTotal.get();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > config.stallTimeout().toNanos()) {
                for (SessionConnection c : sending.values()) {
                    c.abort("target stalled: no bytes written for " + config.stallTimeout());
                }
                lastProgress = System.nanoTime();
            }
        }
    }

    private void awaitAll(List<SessionConnection> sessions, ProgressLine progress) throws InterruptedException {
        long bound = config.connectTimeout().toNanos() + config.drainTimeout().toNanos()
            + config.stallTimeout().toNanos();
        for (Iterator<SessionConnection> it = sessions.iterator(); it.hasNext();) {
            CompletableFuture<Void> done = it.next().done();
            long deadline = System.nanoTime() + bound;
            while (!done.isDone()) {
                if (System.nanoTime() > deadline) {
                    error("a session did not finish within " + TimeUnit.NANOSECONDS.toSeconds(bound) + " s");
                    break;
                }
                Thread.sleep(1);
                if (progress != null) {
                    progress.maybePrint();
                }
            }
        }
    }

    private static void waitUntil(long due, ProgressLine progress) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < due) {
            long ms = Math.min(100, TimeUnit.NANOSECONDS.toMillis(due - now));
            if (ms > 0) {
                Thread.sleep(ms);
            } else {
                Thread.onSpinWait();
            }
            progress.maybePrint();
        }
    }
}
