package io.ncp.middlebox.mirror;

import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.ncp.replay.reassembly.ReassemblyStats;
import io.ncp.replay.reassembly.TcpReassembler;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One shard's capture pipeline: a bounded frame queue filled by the capture thread, drained on the shard's front loop
 * into a decoder and a {@link TcpReassembler} whose {@link MirrorListener} publishes into the shard's ring. The front
 * loop owns the decoder, the reassembler and the listener; the capture thread only calls {@link #offer}.
 *
 * <p>Draining works like the ring's: the first frame into an empty queue schedules one drain task (a CAS, not a task
 * per frame); a drain handles at most {@link #BATCH} frames so the loop keeps serving the replica connections.
 */
final class MirrorShard {

    static final int BATCH = 512;
    private static final long TICK_MILLIS = 100;

    private final EventLoop loop;
    private final Queue<Frame> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final CaptureStats stats;
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpPacket tcp = new TcpPacket();
    private final TcpReassembler reassembler;
    private final MirrorListener listener;
    private final ReassemblyStats reported = new ReassemblyStats();
    private long reportedNotTcp;
    private ScheduledFuture<?> tick;
    private boolean finished;

    MirrorShard(Shard shard, ReassemblyConfig config, ServiceMatcher matcher, CaptureStats stats, int queueFrames) {
        this.loop = shard.frontLoop();
        this.queue = PlatformDependent.newFixedMpscQueue(queueFrames);
        this.stats = stats;
        this.listener = new MirrorListener(shard, matcher, stats, ByteBufAllocator.DEFAULT);
        this.reassembler = new TcpReassembler(config, listener);
    }

    /** Live input: moves the reassembler's clock while no packets come, so idle flows are closed (call once). */
    void startClock() {
        tick = loop.scheduleAtFixedRate(() -> {
            if (!finished) {
                reassembler.advanceTime(System.currentTimeMillis() * 1_000_000L);
                report();
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a frame (capture thread). Returns false when the queue is full: the caller drops (live) or retries
     * (file) it.
     */
    boolean offer(Frame f) {
        if (!queue.offer(f)) {
            return false;
        }
        VarHandle.fullFence();
        if (draining.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
        return true;
    }

    private void drain() {
        int n = 0;
        Frame f;
        while (n < BATCH && (f = queue.poll()) != null) {
            handle(f);
            n++;
        }
        listener.flushPending();
        report();
        if (n >= BATCH) {
            loop.execute(drainTask);
            return;
        }
        draining.set(false);
        VarHandle.fullFence();
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    private void handle(Frame f) {
        if (finished) {
            return;
        }
        if (decoder.decode(f.linkType(), f.data(), f.offset(), f.length(), f.timestampNanos(), tcp)) {
            reassembler.segment(tcp);
        }
    }

    /** Copies what the reassembler and decoder counted since the last report into the shared counters. */
    private void report() {
        ReassemblyStats r = reassembler.stats();
        stats.duplicateBytes.add(r.duplicateBytes - reported.duplicateBytes);
        reported.duplicateBytes = r.duplicateBytes;
        long notTcp = decoder.stats().packets - decoder.stats().tcp;
        stats.notTcp.add(notTcp - reportedNotTcp);
        reportedNotTcp = notTcp;
    }

    /**
     * Ends the input on the loop: handles every frame still queued, then closes every flow ({@link
     * TcpReassembler#finish()}: the sessions' closes reach the replica side). Idempotent.
     */
    Future<?> finish() {
        return loop.submit(() -> {
            if (finished) {
                return;
            }
            Frame f;
            while ((f = queue.poll()) != null) {
                handle(f);
            }
            listener.flushPending();
            reassembler.finish();
            report();
            finished = true;
            if (tick != null) {
                tick.cancel(false);
            }
        });
    }

    /** Frames waiting (any thread; approximate while frames move). */
    int queued() {
        return queue.size();
    }

    /** Sessions still open on this shard (call on the loop). */
    int openSessions() {
        return listener.openSessions();
    }

    EventLoop loop() {
        return loop;
    }
}
