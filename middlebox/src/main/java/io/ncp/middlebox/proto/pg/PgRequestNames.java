package io.ncp.middlebox.proto.pg;

import io.ncp.middlebox.proto.RecentNames;
import io.ncp.middlebox.proto.RequestNamer;
import io.netty.buffer.ByteBuf;

/**
 * The names of the last {@link RecentNames#SIZE} requests of a PostgreSQL client stream, numbered as {@link
 * PgRequestFramer} numbers them (the front numbers them alike): a Query's first SQL words, a Sync's first statement's.
 * A number told again (a Sync the server ignored in copy-in mode, then the one that ends that reply) takes the later
 * name. Framing stops at a framing error. Not thread-safe; never retains.
 */
public final class PgRequestNames implements RequestNamer, PgRequestFramer.Listener {

    private final RecentNames names = new RecentNames();
    private final PgRequestFramer framer = new PgRequestFramer(this);

    @Override
    public void feed(ByteBuf buf) {
        framer.feed(buf);
    }

    @Override
    public String name(long number) {
        return names.name(number);
    }

    @Override
    public void startup(long end, String replication) {
    }

    @Override
    public void request(long number, boolean noisy, String name, long end) {
        names.put(number, name);
    }

    @Override
    public void flush(long end) {
    }
}
