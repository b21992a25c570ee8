package io.ncp.middlebox.proto.pg;

import io.ncp.middlebox.proto.RequestNamer;
import io.netty.buffer.ByteBuf;

/**
 * The names of the last {@link #RECENT} requests of a PostgreSQL client stream, numbered as {@link PgRequestFramer}
 * numbers them (the front numbers them alike): a Query's first SQL words, a Sync's first statement's. A number told
 * again (a Sync the server ignored in copy-in mode, then the one that ends that reply) takes the later name. Framing
 * stops at a framing error. Not thread-safe; never retains.
 */
public final class PgRequestNames implements RequestNamer, PgRequestFramer.Listener {

    static final int RECENT = 4096;

    private final String[] names = new String[RECENT];
    private final long[] numbers = new long[RECENT];
    private final PgRequestFramer framer = new PgRequestFramer(this);

    @Override
    public void feed(ByteBuf buf) {
        framer.feed(buf);
    }

    @Override
    public String name(long number) {
        if (number <= 0) {
            return null;
        }
        int i = (int) (number % RECENT);
        return numbers[i] == number ? names[i] : null;
    }

    @Override
    public void startup(long end, String replication) {
    }

    @Override
    public void request(long number, boolean noisy, String name, long end) {
        int i = (int) (number % RECENT);
        names[i] = name;
        numbers[i] = number;
    }

    @Override
    public void flush(long end) {
    }
}
