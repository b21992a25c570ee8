package io.ncp.middlebox.failover;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Active probes on one event loop of their own (never the data path's): every {@code interval} a new connection
 * to the backend, the configured request, the expected answer's prefix within {@code timeout}. Probes of one backend
 * start on schedule even while an earlier one is still waiting, so a silent backend (SIGSTOP, a cut link: no RST)
 * collects a miss per interval once the first timeout passed. Every probe connection leaves from the bind address
 * when one is given (the middlebox's {@code probeBind}).
 */
public final class Prober implements AutoCloseable {

    private final EventLoopGroup group;
    private final Transport transport;
    private final InetAddress bind;

    /** Probes from whatever local address the host's routing chooses. */
    public Prober(Transport transport) {
        this(transport, null);
    }

    /** @param bind local address of every probe connection (any port), or null */
    public Prober(Transport transport, InetAddress bind) {
        this.transport = transport;
        this.bind = bind;
        this.group = transport.group(1, new DefaultThreadFactory("ncp-probe", true));
    }

    /** The loop every probe and every result runs on. */
    public EventLoop loop() {
        return group.next();
    }

    /**
     * Probes {@code address} every {@code cfg.interval()} until the returned handle is cancelled; each result goes to
     * {@code results} on {@link #loop()}.
     *
     * @param address where to probe (read again for each probe: it may change, e.g. after a failover)
     */
    public ScheduledFuture<?> watch(Supplier<HostPort> address, FailoverConfig cfg, Consumer<ProbeResult> results) {
        long every = cfg.interval().toMillis();
        return loop().scheduleAtFixedRate(() -> probe(address.get(), cfg, results), 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Up to {@code cfg.misses()} probes of {@code address} one after another (each bounded by
     * {@code cfg.timeout()}, the next one starting when the previous one failed): the first that succeeds ends it with
     * OK, else the result is the last failure, its detail saying how many were missed. {@code result} runs on
     * {@link #loop()}, at most {@code misses x timeout} (plus scheduling) after the call. What a voter does for a peer
     * ({@code POST /vote}).
     */
    public void probeUpTo(HostPort address, FailoverConfig cfg, Consumer<ProbeResult> result) {
        attempt(address, cfg, 1, result);
    }

    private void attempt(HostPort address, FailoverConfig cfg, int n, Consumer<ProbeResult> result) {
        probe(address, cfg, r -> {
            if (r.ok()) {
                result.accept(n == 1 ? r : new ProbeResult(true, false, r.detail() + " (probe " + n + " of "
                    + cfg.misses() + ")", r.startedNanos()));
            } else if (n >= cfg.misses()) {
                result.accept(new ProbeResult(false, r.refused(), n + (n == 1 ? " probe" : " probes")
                    + " missed (last: " + r.detail() + ")"));
            } else {
                attempt(address, cfg, n + 1, result);
            }
        });
    }

    /** One probe now; {@code result} runs on {@link #loop()}. */
    public void probe(HostPort address, FailoverConfig cfg, Consumer<ProbeResult> result) {
        EventLoop loop = loop();
        long timeout = cfg.timeout().toMillis();
        ChannelFuture[] conn = new ChannelFuture[1];
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        boolean[] reported = {false};
        long started = System.nanoTime();
        Consumer<ProbeResult> once = r -> {
            if (!reported[0]) {
                reported[0] = true;
                if (timer[0] != null) {
                    timer[0].cancel(false);
                }
                if (conn[0] != null) {
                    conn[0].channel().close();
                }
                result.accept(r.startedAt(started));
            }
        };
        conn[0] = new Bootstrap().group(loop).channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ProbeHandler(cfg.send(), cfg.expect(), once))
            .connect(address.toAddress(), bind == null ? null : new InetSocketAddress(bind, 0));
        if (reported[0]) { // failed at once (e.g. no descriptor for the socket)
            conn[0].channel().close();
            return;
        }
        timer[0] = loop.schedule(() -> once.accept(ProbeResult.failed("no answer within " + timeout + " ms")),
            timeout, TimeUnit.MILLISECONDS);
        conn[0].addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                once.accept(Channels.isRefusal(cf.cause()) ? ProbeResult.refused("connection refused")
                    : ProbeResult.failed("cannot connect: " + (cf.cause() == null ? "cancelled"
                    : cf.cause().getMessage())));
            }
        });
    }

    /**
     * Asks the redis-server at {@code address} for its run id ({@link RedisIdentity}); {@code result} runs on
     * {@link #loop()} with the id, or null when none came within {@code timeoutMillis}.
     */
    void identify(HostPort address, byte[] request, long timeoutMillis, Consumer<String> result) {
        EventLoop loop = loop();
        ChannelFuture[] conn = new ChannelFuture[1];
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        boolean[] reported = {false};
        Consumer<String> once = id -> {
            if (!reported[0]) {
                reported[0] = true;
                if (timer[0] != null) {
                    timer[0].cancel(false);
                }
                if (conn[0] != null) {
                    conn[0].channel().close();
                }
                result.accept(id);
            }
        };
        conn[0] = new Bootstrap().group(loop).channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeoutMillis))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new RedisIdentity(request, once))
            .connect(address.toAddress(), bind == null ? null : new InetSocketAddress(bind, 0));
        if (reported[0]) {
            conn[0].channel().close();
            return;
        }
        timer[0] = loop.schedule(() -> once.accept(null), timeoutMillis, TimeUnit.MILLISECONDS);
        conn[0].addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                once.accept(null);
            }
        });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
