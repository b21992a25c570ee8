package io.ncp.middlebox.mirror;

import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.MirrorConfig;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.replay.capture.CaptureException;
import io.ncp.replay.decode.PacketDecoder;
import io.ncp.replay.decode.TcpPacket;
import io.ncp.replay.reassembly.FlowHash;
import io.ncp.replay.reassembly.ReassemblyConfig;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture front-end of a middlebox: one capture thread reads frames from a {@link PacketInput} and spreads them
 * over the middlebox's shards by {@link FlowHash} (both directions of a flow go to the same shard), where a
 * {@link MirrorShard} reassembles them on the shard's front loop.
 *
 * <p>A live input never waits: a full shard queue drops the frame (counted; the reassembler later reports the hole as a
 * gap). A file input waits for room instead, so it is processed the same way every time; at its end every flow is
 * closed and {@link #awaitInputEnd} returns. {@link #close()} stops the capture ({@code breakLoop}), hands the frames
 * still queued to their shards and closes every flow; close the middlebox afterwards.
 */
public final class MirrorFrontend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorFrontend.class);
    private static final long POLL_MILLIS = 100;
    private static final long STATS_NANOS = 1_000_000_000L;

    private final PacketInput input;
    private final CaptureStats stats;
    private final MirrorShard[] shards;
    private final Thread thread;
    /** Capture thread only. */
    private final PacketDecoder decoder = new PacketDecoder();
    private final TcpPacket tcp = new TcpPacket();
    private final CountDownLatch inputEnded = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile IOException failure;
    private boolean closed;

    private MirrorFrontend(Middlebox middlebox, MirrorConfig config, PacketInput input) {
        this.input = input;
        this.stats = new CaptureStats(input.description());
        Set<Integer> ports = new HashSet<>();
        for (ServiceConfig s : middlebox.config().services()) {
            ports.add(s.primary().port());
        }
        ReassemblyConfig rc = ReassemblyConfig.defaults().withServerPorts(ports).withIdleTimeout(config.idleTimeout());
        List<MirrorShard> list = new ArrayList<>();
        for (Shard s : middlebox.shards()) {
            list.add(new MirrorShard(s, rc, new ServiceMatcher(middlebox), stats, config.queuePackets()));
        }
        this.shards = list.toArray(new MirrorShard[0]);
        this.thread = new Thread(this::run, "ncp-mirror-capture");
        this.thread.setDaemon(true);
    }

    /**
     * Opens the capture {@code config} names, with its filter (or one derived from {@code services}).
     *
     * @throws ConfigException naming the interface, filter or file when the input cannot be opened
     */
    public static PacketInput openInput(MirrorConfig config, List<ServiceConfig> services) {
        String filter = config.effectiveFilter(services);
        if (config.iface() != null) {
            try {
                return LiveInput.open(config.iface(), filter, config.snaplen(), (int) config.bufferBytes(),
                    config.queuePackets());
            } catch (CaptureException e) {
                String field = e.getMessage().startsWith("bad capture filter") ? "--filter" : "--interface";
                throw new ConfigException(field, e.getMessage());
            }
        }
        if (config.filter() != null) {
            String problem = FileInput.checkFilter(config.filter(), config.snaplen());
            if (problem != null) {
                throw new ConfigException("--filter", "bad capture filter '" + config.filter() + "': " + problem);
            }
        }
        try {
            return FileInput.open(config.pcap(), config.filter(), config.snaplen());
        } catch (IOException e) {
            throw new ConfigException("--pcap", "cannot read capture file '" + config.pcap() + "': " + e);
        }
    }

    /** Starts feeding {@code middlebox}'s mirrored services from {@code input} (which this front-end then owns). */
    public static MirrorFrontend start(Middlebox middlebox, MirrorConfig config, PacketInput input) {
        MirrorFrontend f = new MirrorFrontend(middlebox, config, input);
        f.stats.queuedGauge(f::queued);
        middlebox.attachCapture(f.stats);
        if (!input.finite()) {
            for (MirrorShard s : f.shards) {
                s.loop().execute(s::startClock);
            }
        }
        f.thread.start();
        LOG.info("mirror: capturing {} into {} shard(s)", input.description(), f.shards.length);
        return f;
    }

    public CaptureStats stats() {
        return stats;
    }

    private void run() {
        long nextStats = 0;
        try {
            while (running) {
                Frame f = input.next(POLL_MILLIS);
                if (f == null) {
                    break;
                }
                if (f != PacketInput.IDLE) {
                    dispatch(f);
                }
                long now = System.nanoTime();
                if (now >= nextStats) {
                    input.refreshStats(stats);
                    nextStats = now + STATS_NANOS;
                }
            }
        } catch (IOException e) {
            failure = e;
            LOG.error("mirror: capture of {} failed: {}", input.description(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (input.finite() || failure != null) {
            finishShards();
            inputEnded.countDown();
        }
    }

    private void dispatch(Frame f) throws InterruptedException {
        stats.packets.increment();
        MirrorShard shard = shards[0];
        if (shards.length > 1) {
            if (!decoder.decode(f.linkType(), f.data(), f.offset(), f.length(), f.timestampNanos(), tcp)) {
                stats.notTcp.increment();
                return;
            }
            shard = shards[Math.floorMod(FlowHash.of(tcp), shards.length)];
        }
        if (shard.offer(f)) {
            return;
        }
        if (!input.finite()) {
            stats.shardQueueDrops.increment();
            return;
        }
        while (!shard.offer(f)) { // a file waits for its shard: same result on every run
            if (!running) {
                return;
            }
            LockSupport.parkNanos(100_000);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void finishShards() {
        for (MirrorShard s : shards) {
            Future<?> done = s.finish();
            if (!done.awaitUninterruptibly(30, TimeUnit.SECONDS)) {
                LOG.warn("mirror: shard did not finish its flows within 30 s");
            }
        }
    }

    /**
     * Waits until a finite input was read to its end and every flow was closed.
     *
     * @return false on timeout
     */
    public boolean awaitInputEnd(Duration timeout) throws InterruptedException {
        return inputEnded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The capture failure that ended the input, or null. */
    public IOException failure() {
        return failure;
    }

    private long queued() {
        long n = 0;
        for (MirrorShard s : shards) {
            n += s.queued();
        }
        return n;
    }

    /** Sessions the shards still track as open (for tests and diagnostics). */
    public int openSessions() {
        int n = 0;
        for (MirrorShard s : shards) {
            n += s.loop().submit(s::openSessions).syncUninterruptibly().getNow();
        }
        return n;
    }

    /** Stops the capture, hands over what it still held and closes every flow. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            input.close();
            if (input instanceof LiveInput live) {
                Frame f;
                while ((f = live.leftover()) != null) {
                    dispatch(f);
                }
            }
            input.refreshStats(stats);
        } catch (IOException e) {
            LOG.warn("mirror: closing {}: {}", input.description(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finishShards();
        inputEnded.countDown();
    }
}
