package io.ncp.middlebox.order;

import io.ncp.middlebox.stats.LogLimit;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an {@link OrderGate} learns that a server registered a blocking request: the middlebox's own control connection
 * to that server sends {@code CLIENT LIST TYPE normal} and reads the addresses of the clients whose {@code flags}
 * contain {@code b} (blocked: BLPOP and the other {@link BlockingCommands}, WAIT, XREAD BLOCK). The gate matches them
 * with the local address of its connection to that server. One poll at a time; the connection is opened on first use
 * and closed after {@link #IDLE_SECONDS} without a poll.
 *
 * <p>A server that refuses the poll (an error reply, e.g. {@code NOAUTH} on a password-protected server, or no
 * connection) is not asked again for {@link #RETRY_SECONDS}; blocking requests then wait for their replies or the
 * gate's bound. Counted ({@code failures}), logged sparsely.
 *
 * <p>Threading: the gate's loop only.
 */
public final class BlockedProbe extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BlockedProbe.class);
    static final long IDLE_SECONDS = 10;
    static final long RETRY_SECONDS = 5;
    private static final byte[] POLL = "*4\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n$4\r\nTYPE\r\n$6\r\nnormal\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    /** Receives one poll's result. */
    public interface Result {
        /** {@code blocked}: {@code addr=} of the blocked clients, as listed after tick {@code sentTick}. */
        void listed(Set<String> blocked, long sentTick);
    }

    private final EventLoop loop;
    private final String label;
    private final LongAdder failures;
    private Channel channel;
    private InetSocketAddress server;
    private boolean inFlight;
    private long sentTick;
    private Result result;
    private ByteBuf acc;
    private long lastUse;
    private long refusedUntil;
    private boolean idleCheck;
    private boolean closed;

    /**
     * @param label       names the server in logs
     * @param failures    counts refused or failed polls
     */
    public BlockedProbe(EventLoop loop, String label, LongAdder failures) {
        this.loop = loop;
        this.label = label;
        this.failures = failures;
    }

    /**
     * Sends one {@code CLIENT LIST} to the server at the other end of {@code lane} (connecting first if needed, with
     * the same transport) unless one is in flight or the server refused recently; {@code r} gets the result.
     */
    void poll(Channel lane, long tick, Result r) {
        InetSocketAddress to = (InetSocketAddress) lane.remoteAddress();
        long now = System.nanoTime();
        if (to == null) {
            return;
        }
        if (inFlight || now < refusedUntil) {
            return;
        }
        lastUse = now;
        if (channel != null && (!channel.isActive() || !to.equals(server))) {
            channel.close();
            channel = null;
        }
        inFlight = true;
        sentTick = tick;
        result = r;
        if (channel == null) {
            server = to;
            Class<? extends Channel> type = lane.getClass();
            // in a task: a poll may come from an I/O event handler (see ClientHandler.connectPrimary's javadoc)
            loop.execute(() -> open(type, to));
        } else {
            channel.writeAndFlush(Unpooled.wrappedBuffer(POLL));
        }
    }

    /** Opens the control connection and sends the poll in flight (a task of the probe's loop). */
    private void open(Class<? extends Channel> type, InetSocketAddress to) {
        if (closed || channel != null) {
            return;
        }
        ChannelFuture f = new Bootstrap().group(loop).channel(type)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
            .handler(this).connect(to);
        channel = f.channel();
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                refused("cannot connect: " + cf.cause().getMessage());
            } else {
                cf.channel().writeAndFlush(Unpooled.wrappedBuffer(POLL));
            }
        });
        scheduleIdleCheck();
    }

    private void scheduleIdleCheck() {
        if (!idleCheck) {
            idleCheck = true;
            loop.schedule(() -> {
                idleCheck = false;
                if (channel != null && System.nanoTime() - lastUse >= TimeUnit.SECONDS.toNanos(IDLE_SECONDS)
                        && !inFlight) {
                    channel.close();
                    channel = null;
                } else if (channel != null) {
                    scheduleIdleCheck();
                }
            }, IDLE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            if (ctx.channel() != channel) {
                return;
            }
            if (acc == null) {
                acc = ctx.alloc().buffer(Math.max(256, b.readableBytes()));
            }
            acc.writeBytes(b);
        } finally {
            b.release();
        }
        parse();
    }

    private void parse() {
        int eol = acc.indexOf(acc.readerIndex(), acc.writerIndex(), (byte) '\n');
        if (eol < 0) {
            return;
        }
        byte type = acc.getByte(acc.readerIndex());
        if (type != '$') {
            String line = acc.toString(acc.readerIndex(), eol - acc.readerIndex(), StandardCharsets.UTF_8).trim();
            acc.release();
            acc = null;
            refused(line);
            return;
        }
        int len = Integer.parseInt(acc.toString(acc.readerIndex() + 1, eol - acc.readerIndex() - 2,
            StandardCharsets.US_ASCII));
        if (acc.writerIndex() - (eol + 1) < len + 2) {
            return;
        }
        String body = acc.toString(eol + 1, len, StandardCharsets.UTF_8);
        acc.release();
        acc = null;
        inFlight = false;
        Result r = result;
        result = null;
        r.listed(blocked(body), sentTick);
    }

    /** The {@code addr=} of every client whose {@code flags=} contain {@code b}, from a CLIENT LIST reply. */
    static Set<String> blocked(String list) {
        Set<String> out = new HashSet<>();
        for (String line : list.split("\n")) {
            String addr = null;
            boolean blocked = false;
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("addr=")) {
                    addr = field.substring(5);
                } else if (field.startsWith("flags=")) {
                    blocked = field.indexOf('b', 6) >= 0;
                }
            }
            if (blocked && addr != null) {
                out.add(addr);
            }
        }
        return out;
    }

    /** {@code a} as {@code CLIENT LIST} shows it in {@code addr=} ({@code ip:port}, {@code [ipv6]:port}). */
    static String addr(SocketAddress a) {
        if (!(a instanceof InetSocketAddress isa) || isa.getAddress() == null) {
            return String.valueOf(a);
        }
        InetAddress ip = isa.getAddress();
        String host = ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int pct = host.indexOf('%');
            return "[" + compress(pct >= 0 ? host.substring(0, pct) : host) + "]:" + isa.getPort();
        }
        return host + ":" + isa.getPort();
    }

    /** An IPv6 address as inet_ntop writes it: the longest run of two or more zero groups (the first) as "::". */
    static String compress(String full) {
        String[] g = full.split(":");
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < g.length; i++) {
            int j = i;
            while (j < g.length && "0".equals(g[j])) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestAt < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestAt));
        String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestAt + bestLen, g.length));
        return head + "::" + tail;
    }

    private void refused(String why) {
        failures.increment();
        if (LogLimit.sparse(failures.sum())) {
            LOG.warn("{}: order: service: CLIENT LIST poll failed ({}); blocking requests wait for their replies or "
                + "{} s (total {})", label, why, TimeUnit.NANOSECONDS.toSeconds(OrderGate.TIMEOUT_NANOS),
                failures.sum());
        }
        refusedUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
        inFlight = false;
        result = null;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() == channel) {
            channel = null;
            if (acc != null) {
                acc.release();
                acc = null;
            }
            if (inFlight) {
                refused("the server closed the connection"); // e.g. a TLS port: not polled again for a while
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public boolean isSharable() {
        return true;
    }

    /** Closes the control connection. */
    public void close() {
        closed = true;
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (acc != null) {
            acc.release();
            acc = null;
        }
    }
}
