package io.ncp.middlebox.replica;

import io.ncp.middlebox.auth.AuthFilters;
import io.ncp.middlebox.auth.AuthListener;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica copy's authentication (services with a {@link Protocol} other than bytes): builds the replica channel's
 * pipeline (the protocol's {@link io.ncp.middlebox.auth.AuthHandler}, then the answer handler) and hears how the
 * exchange ended. Accepted: the replica is UP. Refused: the replica is DOWN with the reason ("authentication
 * failed: ...", retried by new sessions after the backoff) and the copy is damaged (the replica STALE: it misses the
 * session). Replica loop only.
 */
final class CopyAuth implements AuthListener {

    private static final Logger LOG = LoggerFactory.getLogger(CopyAuth.class);
    private static final AtomicLong FAILURES = new AtomicLong();

    private final ReplicaCopy copy;
    private final ReplicaTarget target;
    private final String service;

    private CopyAuth(ReplicaCopy copy, ReplicaTarget target, String service) {
        this.copy = copy;
        this.target = target;
        this.service = service;
    }

    /**
     * The handler for the copy's channel: {@code answers} alone for byte replay, else the protocol's authentication
     * handler in front of it.
     *
     * @return the handler, and whether the replica's health waits for the authentication ({@link #authenticates})
     */
    static ChannelHandler pipeline(ReplicaCopy copy, ReplicaTarget target, String service, Protocol protocol,
            ChannelHandler answers) {
        return pipeline(AuthFilters.handler(protocol, target.config().auth(), new CopyAuth(copy, target, service)),
            answers);
    }

    /**
     * The handler for the channel of a copy that continues a PostgreSQL session over a new connection (a resync):
     * the PostgreSQL login with the replica's credentials whatever the service's protocol, the session's SETs
     * ({@code sets}: simple Query messages, maybe none), then {@code answers}.
     */
    static ChannelHandler continuedPipeline(ReplicaCopy copy, ReplicaTarget target, String service, byte[] sets,
            ChannelHandler answers) {
        return pipeline(AuthFilters.continuedHandler(target.config().auth(), sets,
            new CopyAuth(copy, target, service)), answers);
    }

    private static ChannelHandler pipeline(ChannelHandler auth, ChannelHandler answers) {
        if (auth == null) {
            return answers;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(auth, answers);
            }
        };
    }

    /** Whether copies of {@code protocol} authenticate (their replica is UP only once it accepted). */
    static boolean authenticates(Protocol protocol) {
        return protocol.replicaAuth();
    }

    @Override
    public void authenticated() {
        copy.authenticated();
        target.health().connected();
    }

    /** A continued session's replayed SET was refused: the copy fails (the replica STALE), the replica stays UP. */
    @Override
    public void setupFailed(String why) {
        if (!copy.isDone()) {
            copy.damage(why);
        }
    }

    @Override
    public void authFailed(String why) {
        if (copy.isDone()) {
            return; // the copy ended first (its connection closed under the exchange): nothing to blame the replica
        }
        target.health().failed(System.nanoTime(), why);
        if (LogLimit.sparse(FAILURES.incrementAndGet())) {
            LOG.warn("{}: replica {}: {} (replica DOWN, retried by new sessions after a backoff)", service,
                target.label(), why);
        }
        copy.damage(why);
    }
}
