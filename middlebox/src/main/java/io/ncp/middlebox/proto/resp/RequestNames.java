package io.ncp.middlebox.proto.resp;

import io.ncp.middlebox.auth.RedisAuthPhase;
import io.ncp.middlebox.proto.RecentNames;
import io.ncp.middlebox.proto.RequestNamer;
import io.netty.buffer.ByteBuf;

/**
 * The command names of the last {@link RecentNames#SIZE} requests of a client stream, by request number (1, 2, ...
 * counting non-empty requests after the authentication phase, as the front numbers the requests it replays): lets the
 * replica side name the request whose answer diverged. Leading AUTH / HELLO requests ({@link RedisAuthPhase}) take no
 * number: the replicas' authentication handlers swallow their replies. Framing stops at a framing error (later numbers
 * are unknown). Not thread-safe; never retains.
 */
public final class RequestNames implements RequestNamer {

    private final RecentNames names = new RecentNames();
    private long count;
    private boolean authPhase = true;
    private final RespRequestFramer framer = new RespRequestFramer(r -> {
        if (authPhase && !r.empty() && RedisAuthPhase.isAuthCommand(r.name(), r.multibulk(), r.argc(),
                r.end() - r.start())) {
            return;
        }
        authPhase = false;
        if (!r.empty()) {
            count++;
            boolean sub = ("CONFIG".equals(r.name()) || "CLIENT".equals(r.name())) && r.upper(1) != null;
            names.put(count, sub ? r.name() + " " + r.upper(1) : r.name());
        }
    });

    @Override
    public void feed(ByteBuf buf) {
        framer.feed(buf);
    }

    @Override
    public String name(long number) {
        return names.name(number);
    }
}
