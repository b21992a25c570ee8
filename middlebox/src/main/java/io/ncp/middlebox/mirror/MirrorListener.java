package io.ncp.middlebox.mirror;

import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.ring.SessionFeed;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.middlebox.stats.ServiceStats;
import io.ncp.replay.reassembly.CloseReason;
import io.ncp.replay.reassembly.Direction;
import io.ncp.replay.reassembly.Flow;
import io.ncp.replay.reassembly.StreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.collection.LongObjectHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one shard's reassembled flows into replicated sessions: client bytes are copied once into a pooled buffer,
 * coalesced per session until the end of the shard's drain batch ({@link #flushPending()}, or 64 KiB, or any other
 * event of the session) and handed to the session's {@link SessionFeed} (the ring then owns them): a shard that
 * falls behind publishes fewer, larger events instead of one per packet. The primary's answers are digested
 * straight from the borrowed buffer. A client-side gap damages the session's replica copies (nothing after it is
 * replayed); an answer-side gap gives up the comparison. Flows matching no mirrored service, and flows first seen
 * mid-stream, are ignored (counted).
 *
 * <p>Threading: called by the shard's {@link io.ncp.replay.reassembly.TcpReassembler} on the shard's front loop, which
 * owns every field.
 */
final class MirrorListener implements StreamListener {

    /** Coalescing buffers start this big (a buffer per packet would cost an allocation and a ring event each). */
    static final int MIN_COALESCE = 4096;
    /** A session's coalesced bytes are published once they reach this size. */
    static final int MAX_COALESCE = 64 * 1024;

    private final Shard shard;
    private final ServiceMatcher matcher;
    private final CaptureStats captureStats;
    private final ByteBufAllocator alloc;
    private final LongObjectHashMap<MirrorSession> sessions = new LongObjectHashMap<>();
    /** Sessions with coalesced client bytes not yet published. */
    private final List<MirrorSession> dirty = new ArrayList<>();

    MirrorListener(Shard shard, ServiceMatcher matcher, CaptureStats captureStats, ByteBufAllocator alloc) {
        this.shard = shard;
        this.matcher = matcher;
        this.captureStats = captureStats;
        this.alloc = alloc;
    }

    @Override
    public void onOpen(Flow flow) {
        ServiceRuntime svc = matcher.match(flow.server());
        if (svc == null) {
            captureStats.unmatchedFlows.increment();
            return;
        }
        ServiceStats st = svc.stats();
        if (flow.midstream()) {
            st.midstream.increment(); // its beginning was not captured: a replica cannot be given the whole session
            for (ReplicaTarget r : svc.primary().sessionReplicas()) {
                r.consistency().stale("missed a session that began before the capture (" + flow.client() + ")");
            }
            return;
        }
        st.accepted.increment();
        st.sessions.increment();
        st.active.increment();
        MirrorSession s = new MirrorSession(svc, new SessionFeed(shard.newSessionId(), svc, shard.ring()));
        sessions.put(flow.id(), s);
        s.feed.open(null);
    }

    @Override
    public void onData(Flow flow, Direction direction, ByteBuf data, long offset, long timestampNanos) {
        MirrorSession s = sessions.get(flow.id());
        if (s == null) {
            return;
        }
        int n = data.readableBytes();
        if (direction == Direction.CLIENT_TO_SERVER) {
            s.service.stats().bytesIn.add(n);
            if (s.feed.wantsClientBytes()) {
                if (s.pending == null) {
                    s.pending = alloc.buffer(Math.max(n, MIN_COALESCE));
                    dirty.add(s);
                }
                s.pending.writeBytes(data, data.readerIndex(), n);
                if (s.pending.readableBytes() >= MAX_COALESCE) {
                    s.flush();
                }
            }
        } else {
            s.service.stats().bytesOut.add(n);
            s.feed.primaryAnswer(data);
        }
    }

    @Override
    public void onGap(Flow flow, Direction direction, long offset, long length, long timestampNanos) {
        captureStats.gaps.increment();
        captureStats.gapBytes.add(length);
        MirrorSession s = sessions.get(flow.id());
        if (s == null) {
            return;
        }
        if (direction == Direction.CLIENT_TO_SERVER) {
            s.flush();
            if (!s.clientGap) {
                s.clientGap = true;
                s.service.stats().captureGaps.increment();
            }
            s.feed.clientGap();
        } else {
            if (!s.answerGap) {
                s.answerGap = true;
                s.service.stats().answerGaps.increment();
            }
            s.feed.answersLost();
        }
    }

    @Override
    public void onClose(Flow flow, Direction direction, CloseReason reason, long offset, long timestampNanos) {
        MirrorSession s = sessions.get(flow.id());
        if (s == null) {
            return;
        }
        s.flush();
        if (reason == CloseReason.RST) {
            s.reset = true;
        } else if (direction == Direction.CLIENT_TO_SERVER) {
            // FIN, or the capture lost sight of the flow (idle, evicted, reused, input ended): the replicas get a FIN
            // after every byte seen, like the primary would have
            s.feed.clientFin();
        }
        if (direction == Direction.SERVER_TO_CLIENT) {
            s.feed.primaryEnded();
        }
        if (++s.closedDirections == 2) {
            sessions.remove(flow.id());
            ServiceStats st = s.service.stats();
            st.active.decrement();
            if (s.reset) {
                st.resets.increment();
            }
            s.feed.close(s.reset);
        }
    }

    /** Publishes every session's coalesced client bytes: the end of a drain batch. */
    void flushPending() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    /** Sessions open right now (front loop only). */
    int openSessions() {
        return sessions.size();
    }
}
