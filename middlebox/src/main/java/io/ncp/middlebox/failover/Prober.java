package io.ncp.middlebox.failover;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
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
        long timeout = cfg.timeout().toMillis();
        long started = System.nanoTime();
        exchange(address, timeout, report -> new ProbeHandler(cfg.send(), cfg.expect(), report),
            () -> ProbeResult.failed("no answer within " + timeout + " ms"),
            cause -> Channels.isRefusal(cause) ? ProbeResult.refused("connection refused")
                : ProbeResult.failed("cannot connect: " + (cause == null ? "cancelled" : cause.getMessage())),
            r -> result.accept(r.startedAt(started)));
    }

    /**
     * Asks the redis-server at {@code address} for its run id ({@link RedisIdentity}); {@code result} runs on
     * {@link #loop()} with the id, or null when none came within {@code timeoutMillis}.
     */
    void identify(HostPort address, byte[] request, long timeoutMillis, Consumer<String> result) {
        exchange(address, timeoutMillis, report -> new RedisIdentity(request, report), () -> null, cause -> null,
            result);
    }

    /**
     * One short connection to {@code address} (from {@code probeBind} when set) with the handler {@code handler}
     * makes from the one-shot reporter it is given, and exactly one outcome for {@code result} on {@link #loop()}: the
     * handler's, {@code timedOut}'s after {@code timeoutMillis}, or {@code connectFailed}'s (given the cause). The
     * connection is closed once the outcome is known. The socket is made in a task of the loop, never inside an I/O
     * event handler (a result may lead to the next exchange; see the front's ClientHandler.connectPrimary on why).
     */
    private <T> void exchange(HostPort address, long timeoutMillis, Function<Consumer<T>, ChannelHandler> handler,
            Supplier<T> timedOut, Function<Throwable, T> connectFailed, Consumer<T> result) {
        EventLoop loop = loop();
        try {
            loop.execute(() -> connect(loop, address, timeoutMillis, handler, timedOut, connectFailed, result));
        } catch (RejectedExecutionException e) { // shutting down
            result.accept(connectFailed.apply(e));
        }
    }

    private <T> void connect(EventLoop loop, HostPort address, long timeoutMillis,
            Function<Consumer<T>, ChannelHandler> handler, Supplier<T> timedOut, Function<Throwable, T> connectFailed,
            Consumer<T> result) {
        ChannelFuture[] conn = new ChannelFuture[1];
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        boolean[] reported = {false};
        Consumer<T> once = r -> {
            if (!reported[0]) {
                reported[0] = true;
                if (timer[0] != null) {
                    timer[0].cancel(false);
                }
                if (conn[0] != null) {
                    conn[0].channel().close();
                }
                result.accept(r);
            }
        };
        conn[0] = new Bootstrap().group(loop).channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeoutMillis))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(handler.apply(once))
            .connect(address.toAddress(), bind == null ? null : new InetSocketAddress(bind, 0));
        if (reported[0]) { // failed at once (e.g. no descriptor for the socket)
            conn[0].channel().close();
            return;
        }
        timer[0] = loop.schedule(() -> once.accept(timedOut.get()), timeoutMillis, TimeUnit.MILLISECONDS);
        conn[0].addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                once.accept(connectFailed.apply(cf.cause()));
            }
        });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
