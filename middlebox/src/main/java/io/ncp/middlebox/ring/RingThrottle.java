package io.ncp.middlebox.ring;

import io.ncp.middlebox.stats.LogLimit;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ringFull: throttle}: the shard's front stops reading clients while its ring is over half full (bytes or
 * slots), and reads again once the replica side drained it under a quarter. TCP flow control then slows the clients
 * to what the replica side takes: its CPU and its catch-up journal's disk, never a replica's socket (a replica that
 * stops reading makes its copies queue and spill, which the replica loop does at its own pace). Without it
 * ({@code damage}, the default) a publish that does not fit damages the session's copies: the primary never waits,
 * and the session's replicas become STALE. A spell longer than its bound ({@code replicaTimeout}: a replica side
 * stuck, e.g. on a hung disk) is given up: the clients read again, and bytes that do not fit damage their copies as
 * without the throttle, until the ring is under a quarter again.
 *
 * <p>Threads: {@link #over} and {@link #pause} on the front loop (the ring's producer), {@link #consumed} on the
 * consumer loop after each drain batch. The two sides meet on {@code engaged}: the front sets it and then looks at
 * the ring again, the consumer lowers the ring and then looks at it, so one of them always sees the other (a pause
 * is never left waiting for a drain that already happened).
 */
public final class RingThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(RingThrottle.class);

    private final ShardRing ring;
    private final EventExecutor front;
    private final String name;
    private final long highBytes;
    private final long lowBytes;
    private final long highSlots;
    private final long lowSlots;
    private final AtomicBoolean engaged = new AtomicBoolean();
    /** Front loop only: what to run when reading may resume. */
    private final List<Runnable> paused = new ArrayList<>();
    private final AtomicLong pauses = new AtomicLong();
    /** Front loop only: when the current throttled spell began (0: none). */
    private long since;
    /** A spell may last this long; then the clients read again (copies that do not fit are damaged). */
    private final long maxSpellNanos;
    /** Front loop only: the current spell outlasted its bound: no pauses until the ring is under a quarter. */
    private boolean gaveUp;
    /** Front loop only: spells that outlasted their bound. */
    private long givenUp;
    /** Front loop only: the current spell's bound (cancelled when the spell ends). */
    private ScheduledFuture<?> bound;

    RingThrottle(ShardRing ring, EventExecutor front, String name, long maxBytes, int slots, long maxSpellNanos) {
        this.ring = ring;
        this.front = front;
        this.name = name;
        this.maxSpellNanos = maxSpellNanos;
        this.highBytes = maxBytes / 2;
        this.lowBytes = maxBytes / 4;
        this.highSlots = slots / 2;
        this.lowSlots = slots / 4;
    }

    /**
     * Whether a client read must pause: the ring is over half full (front loop, after a client read). False while a
     * spell that outlasted its bound lasts (until the ring is under a quarter again).
     */
    public boolean over() {
        if (gaveUp) {
            if (!under()) {
                return false;
            }
            gaveUp = false;
        }
        return ring.inFlightBytes() > highBytes || ring.backlog() > highSlots;
    }

    /**
     * The caller (front loop) stopped reading a client because the ring is {@link #over}: {@code resume} runs on the
     * front loop once the ring is under a quarter (possibly before this returns).
     */
    public void pause(Runnable resume) {
        paused.add(resume);
        pauses.incrementAndGet();
        if (since == 0) {
            long start = System.nanoTime();
            since = start;
            if (LogLimit.sparse(pauses.get())) {
                LOG.info("{}: ring over half full ({}): client reads paused until it is under a quarter (ringFull:"
                    + " throttle; pauses so far: {})", name, ring.fullness(), pauses.get());
            }
            bound = front.schedule(() -> giveUp(start), maxSpellNanos, TimeUnit.NANOSECONDS);
        }
        engaged.set(true);
        if (!under() || !engaged.compareAndSet(true, false)) {
            return; // the consumer will see it (or already took it over and posted the release)
        }
        release();
    }

    /** Consumer loop, after a drain batch: releases the paused clients once the ring is under a quarter. */
    void consumed() {
        if (engaged.get() && under() && engaged.compareAndSet(true, false)) {
            front.execute(this::release);
        }
    }

    /** The spell that began at {@code start} is still on after its bound: the clients read again. */
    private void giveUp(long start) {
        if (since != start) {
            return; // that spell ended
        }
        gaveUp = true;
        givenUp++;
        LOG.warn("{}: client reads paused for {} s and the ring is still over a quarter full ({}): reading again;"
            + " client bytes that do not fit now damage their copies (ringFull: throttle gives up after"
            + " replicaTimeout; spells given up so far: {})", name, maxSpellNanos / 1_000_000_000L, ring.fullness(),
            givenUp);
        release();
    }

    private boolean under() {
        return ring.inFlightBytes() <= lowBytes && ring.backlog() <= lowSlots;
    }

    private void release() {
        since = 0;
        if (bound != null) {
            bound.cancel(false);
            bound = null;
        }
        List<Runnable> run = new ArrayList<>(paused);
        paused.clear();
        for (Runnable r : run) {
            r.run();
        }
    }

    /** Client reads paused so far (any thread). */
    public long pauses() {
        return pauses.get();
    }
}
