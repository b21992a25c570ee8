package io.ncp.middlebox.frontend;

import io.ncp.middlebox.order.OrderGate;
import io.ncp.middlebox.order.OrderLane;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's primary connection under {@code order: service}: its requests reach the primary through the service's
 * primary {@link OrderGate}. When the primary does not consume this session's requests within the bound while another
 * session's request waits, that request is written anyway (counted, logged sparsely): the primary path never stalls
 * for ever and no client byte is dropped, but the order of that request is not guaranteed. Front loop only.
 */
final class PrimaryLane extends OrderLane {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryLane.class);

    private final FrontSession session;

    PrimaryLane(OrderGate gate, FrontSession session) {
        super(gate, false);
        this.session = session;
    }

    @Override
    protected void write(ByteBuf bytes) {
        Channel p = session.primary;
        if (p != null && p.isActive()) {
            p.write(bytes, p.voidPromise());
        } else {
            bytes.release(); // the primary is gone: its close ends the session
        }
    }

    @Override
    protected void flush() {
        Channel p = session.primary;
        if (p != null) {
            p.flush();
        }
    }

    @Override
    protected Channel channel() {
        return session.primary;
    }

    @Override
    protected void timedOut(long waitedNanos) {
        long n = session.service.stats().protocol.orderTimeouts.sum();
        if (LogLimit.sparse(n)) {
            LOG.warn("{}: order: service: the primary did not consume session {}'s requests within {} ms while "
                + "another session's request waited; that request is written anyway (total {})", session.service.name(),
                session.id, TimeUnit.NANOSECONDS.toMillis(waitedNanos), n);
        }
    }
}
