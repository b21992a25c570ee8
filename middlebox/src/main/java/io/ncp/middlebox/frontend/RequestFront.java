package io.ncp.middlebox.frontend;

import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.ring.SessionFeed;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-aware part of one replicated session of a service with a framed protocol ({@link RequestAware}: redis,
 * postgres, mysql, http), on its front loop: the client stream goes through the protocol's {@link RequestFilter} on
 * its way to the ring (the primary gets every byte, at once, as always), the primary's answers through its
 * {@link FramingAnswerFilter} (digests per exchange; reply ends for a lockstep gate, which then gates per
 * exchange). Front loop only; the request filter holds retained slices of incomplete requests until {@link #close}.
 */
final class RequestFront implements RequestSink, FramingAnswerFilter.FrameListener {

    private static final Logger LOG = LoggerFactory.getLogger(RequestFront.class);

    private final ServiceRuntime service;
    private final long sessionId;
    private final SessionFeed feed;
    /** Null unless lockstep. */
    private final LockstepGate gate;
    private final FramingAnswerFilter primary;
    private final RequestFilter client;
    private boolean framingLogged;

    RequestFront(RequestAware protocol, ServiceRuntime service, long sessionId, SessionFeed feed, LockstepGate gate) {
        this.service = service;
        this.sessionId = sessionId;
        this.feed = feed;
        this.gate = gate;
        this.primary = protocol.primaryAnswers();
        this.client = protocol.requests(primary, this, service.stats().protocol);
        feed.answerFilter(primary);
        if (gate != null) {
            gate.perExchange();
            primary.listener(this);
        }
    }

    /** Client bytes ({@code buf} borrowed): what the replicas get of them goes to the ring. */
    void clientBytes(ByteBuf buf) {
        client.clientBytes(buf);
        if (client.bytesMode() && !framingLogged) {
            framingLogged = true;
            if (LogLimit.sparse(service.stats().protocol.framingErrors.sum())) {
                LOG.warn("{}: session {}: client stream is not {} ({}); replicated as bytes from there on "
                    + "(total {})", service.name(), sessionId, service.config().protocol().name().toLowerCase(
                    java.util.Locale.ROOT), client.error(), service.stats().protocol.framingErrors.sum());
            }
        }
    }

    /**
     * Primary answer bytes ({@code buf} borrowed), after {@link SessionFeed#primaryAnswer}: framed here only when the
     * feed did not digest them through the same filter ({@code digested}: whether it did).
     */
    void primaryAnswer(ByteBuf buf, boolean digested) {
        if (!digested) {
            primary.feed(buf, null);
        }
    }

    @Override
    public void replay(ByteBuf bytes) {
        feed.clientBytes(bytes);
    }

    @Override
    public void expect(long ordinal, int exchange) {
        feed.expect(ordinal, exchange);
    }

    @Override
    public void unreplicate(String what) {
        feed.unreplicate();
        if (gate != null) {
            gate.passThrough();
        }
        if (LogLimit.sparse(service.stats().protocol.unreplicated.sum())) {
            LOG.info("{}: session {} sent {}: not replicated from there on (total {})", service.name(), sessionId,
                what, service.stats().protocol.unreplicated.sum());
        }
    }

    @Override
    public void ungate(String why) {
        if (gate == null) {
            return;
        }
        gate.passThrough();
        if (LogLimit.sparse(service.stats().protocol.ungated.sum())) {
            LOG.info("{}: session {}: lockstep passes its answers through from here on ({}; replicated and compared "
                + "as before; total {})", service.name(), sessionId, why, service.stats().protocol.ungated.sum());
        }
    }

    @Override
    public void nondeterministic(String what) {
        service.stats().protocol.nondeterministicWrites.increment();
        long n = service.stats().protocol.nondeterministicWrites.sum();
        if (LogLimit.sparse(n)) {
            LOG.warn("{}: session {}: {} calls a per-server function: each replica evaluates it itself, so its data "
                + "can differ from the primary's while the answers compare equal (total {})", service.name(),
                sessionId, what, n);
        }
    }

    @Override
    public void frame(long end, boolean skipped) {
        gate.primaryReply(end, skipped);
    }

    @Override
    public void framingFailed() {
        gate.passThrough();
    }

    /**
     * Whether the primary has ended a reply to every request the client sent it whole, with no request partly sent:
     * the protocol counts both (RESP outside pub/sub); false when it cannot tell.
     */
    boolean answeredAll() {
        long sent = client.requestsSent();
        return sent >= 0 && primary.repliesEnded() == sent;
    }

    /** The session is over: releases held request bytes. */
    void close() {
        client.close();
    }
}
