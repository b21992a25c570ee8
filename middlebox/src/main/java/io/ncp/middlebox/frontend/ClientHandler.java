package io.ncp.middlebox.frontend;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.service.PrimaryRole;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.ncp.middlebox.tls.ServiceTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one accepted client connection on the shard's front loop. The channel starts with AUTO_READ off; once
 * the primary connection succeeds the session is opened (and shown to the replicas) and reading starts. Each read
 * buffer is offered to the ring as a retained duplicate, then written to the primary (this handler passes its own
 * reference on to that write). Back-pressure: reading stops while the primary channel is not writable.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    /** Time between two connects to the primary while a failover may be under way. */
    static final long RETRY_MILLIS = 100;

    private final ServiceRuntime service;
    private final FrontShard shard;
    private final PrimaryConnector connector;
    private FrontSession session;
    /** With failover: the latest a new client waits for a pending verdict on its primary. */
    private long waitCapNanos;

    public ClientHandler(ServiceRuntime service, FrontShard shard, PrimaryConnector connector) {
        this.service = service;
        this.shard = shard;
        this.connector = connector;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        service.stats().accepted.increment();
        service.stats().active.increment();
        session = new FrontSession(shard, service, client);
        FailoverConfig failover = service.config().failover();
        long now = System.nanoTime();
        waitCapNanos = failover == null ? now : now + ServiceRuntime.SUSPECT_HOLD_CAP_MILLIS * 1_000_000;
        long deadline = now + (failover == null ? 0 : failover.holdNewSessions().toNanos());
        client.eventLoop().execute(() -> connectPrimary(client, deadline));
    }

    /**
     * Connects to the service's primary as it is now. Always called from a task or a timer, never from an I/O event
     * handler: Netty's epoll loop finds a channel by its file descriptor, so a socket made while a batch of I/O events
     * is processed can get the descriptor of a channel closed earlier in that batch, and a later event of the batch
     * for the old channel then reaches the new, unconnected one (its read fails with ENOTCONN, or a hang-up closes it)
     * and the connect fails before any SYN (seen: about 1 session in 1,000 answered by a bare reset under lockstep);
     * tasks run after the batch. With failover configured a refused or failed connect is retried every
     * {@link #RETRY_MILLIS} until {@code deadlineNanos}, and beyond it while the failure detector's verdict is
     * pending (the failover promotes a replica meanwhile: the client waits instead of being closed; at most
     * {@link ServiceRuntime#SUSPECT_HOLD_CAP_MILLIS}). A connect that succeeds after a promotion fenced its target (a
     * silent primary's kernel still accepts) is given up and made again to the new primary.
     */
    private void connectPrimary(Channel client, long deadlineNanos) {
        PrimaryRole.View view = service.primary().view();
        HostPort target = view.address();
        long started = System.nanoTime();
        Bootstrap b = connector.bootstrap(client.eventLoop(), new PrimaryHandler(session));
        ChannelFuture f = ServiceTls.connect(service.tls(), b.connect(target.toAddress()), target); // TLS: once up
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                String why = cf.cause() == null ? "connect cancelled" : cf.cause().getMessage();
                if (service.primary().epoch() == view.epoch()) {
                    service.primaryHealth().failed(System.nanoTime(), why); // not the promoted one's failure
                }
                long now = System.nanoTime();
                boolean pending = service.primarySuspect() || service.primary().epoch() != view.epoch();
                if (client.isActive() && (now - deadlineNanos < 0 || pending && now - waitCapNanos < 0)) {
                    client.eventLoop().schedule(() -> connectPrimary(client, deadlineNanos), RETRY_MILLIS,
                        TimeUnit.MILLISECONDS);
                    return;
                }
                service.stats().primaryFailures.increment();
                long n = service.stats().primaryFailures.sum();
                if (LogLimit.sparse(n)) {
                    LOG.warn("{}: primary {} unreachable ({}); closing client {} (primary failures so far: {})",
                        service.name(), target, why, client.remoteAddress(), n);
                }
                session.dropEarly();
                session.primaryNeverConnected();
                client.close();
                return;
            }
            if (!client.isActive()) {
                session.dropEarly();
                session.primaryNeverConnected();
                cf.channel().close();
                return;
            }
            if (!session.primaryConnected(cf.channel(), view)) {
                cf.channel().close(); // a fenced primary: its events are ignored (not the session's primary)
                service.stats().fencedConnects.increment();
                long n = service.stats().fencedConnects.sum();
                if (LogLimit.sparse(n)) {
                    LOG.info("{}: primary {} was fenced while client {} connected to it; connecting to {} (such "
                        + "connects so far: {})", service.name(), target, client.remoteAddress(),
                        service.primary().address(), n);
                }
                client.eventLoop().execute(() -> connectPrimary(client, deadlineNanos));
                return;
            }
            service.primaryHealth().connected(started);
            client.config().setAutoRead(true);
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            session.clientBytes((ByteBuf) msg);
            session.throttleClient(); // per read, not per read loop: Netty's loop stops once AUTO_READ is off
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel primary = session.primary;
        if (primary != null) {
            primary.flush();
            if (!primary.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            session.clientFinished();
            Channels.closeIfOutputShutdown(ctx.channel());
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.updatePrimaryRead();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.closeGate();
        session.dropEarly(); // gone before the primary connected: what it sent is released
        Channel primary = session.primary;
        if (primary != null) {
            if (session.isReset()) {
                // the client's reset reaches the primary as a FIN after every byte the client sent: a reset would let
                // the primary's kernel drop what it had not read yet, and the replicas (which get every byte, then
                // a FIN) would then hold more than the primary
                Channels.shutdownOutputAfterFlush(primary);
            } else {
                Channels.closeOnFlush(primary);
            }
        }
        session.clientClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Channels.isClosed(cause)) {
            LOG.debug("{}: write to a closed channel: {}", service.name(), cause.toString());
            return;
        }
        if (Channels.isPeerFailure(cause)) {
            LOG.debug("{}: client {} failed: {}", service.name(), ctx.channel().remoteAddress(), cause.toString());
            session.markReset(); // channelInactive passes the reset on to the primary
        } else {
            LOG.warn("{}: client handler error", service.name(), cause);
        }
        ctx.close();
    }
}
