package io.ncp.middlebox.net;

import io.ncp.middlebox.stats.LogLimit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a listening channel: an {@code accept} that fails (EMFILE/ENFILE: out of descriptors, ENOBUFS) is counted,
 * logged as one sparse line instead of a stack trace per attempt, and accepting pauses for {@link #PAUSE_MILLIS} so
 * the loop does not spin on a listener that stays readable. One per listener; its event loop only.
 */
public final class AcceptGuard extends ChannelInboundHandlerAdapter {

    /** How long accepting pauses after a failed accept. */
    public static final long PAUSE_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AcceptGuard.class);

    private final String label;
    private final LongAdder failures;

    /**
     * @param label    what listens, for the log (e.g. the service's name)
     * @param failures where failed accepts are counted
     */
    public AcceptGuard(String label, LongAdder failures) {
        this.label = label;
        this.failures = failures;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failures.increment();
        long n = failures.sum();
        if (LogLimit.sparse(n)) {
            LOG.warn("{}: accept failed: {} (failed accepts so far: {}); accepting pauses for {} ms", label,
                cause.getMessage(), n, PAUSE_MILLIS);
        }
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
