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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Active probes on one event loop of their own (never the data path's): every {@code interval} a new connection
 * to the backend, the configured request, the expected answer's prefix within {@code timeout}. Probes of one backend
 * start on schedule even while an earlier one is still waiting, so a silent backend (SIGSTOP, a cut link: no RST)
 * collects a miss per interval once the first timeout passed.
 */
public final class Prober implements AutoCloseable {

    private final EventLoopGroup group;
    private final Transport transport;

    public Prober(Transport transport) {
        this.transport = transport;
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

    /** One probe now; {@code result} runs on {@link #loop()}. */
    public void probe(HostPort address, FailoverConfig cfg, Consumer<ProbeResult> result) {
        EventLoop loop = loop();
        long timeout = cfg.timeout().toMillis();
        ChannelFuture[] conn = new ChannelFuture[1];
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        boolean[] reported = {false};
        Consumer<ProbeResult> once = r -> {
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
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ProbeHandler(cfg.send(), cfg.expect(), once))
            .connect(address.toAddress());
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

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
