package io.ncp.middlebox.order;

import io.ncp.middlebox.proto.resp.RespRequest;
import java.util.Set;

/**
 * How a server consumes a Redis request, for {@code order: service}: the one list of blocking commands and of the
 * pub/sub commands whose answers are confirmations. A request is consumed once its reply was framed; a blocking
 * request also once the server lists its connection as blocked ({@link BlockedProbe}); a pub/sub request once its
 * confirmations arrived (one per channel named, at least one). Stateless.
 */
public final class BlockingCommands {

    /** Commands that may block the connection until another connection acts (always, whatever their arguments). */
    public static final Set<String> ALWAYS = Set.of("BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BZPOPMIN", "BZPOPMAX",
        "BLMPOP", "BZMPOP", "WAIT", "WAITAOF");
    /** Commands that block only with a {@code BLOCK} argument. */
    public static final Set<String> WITH_BLOCK = Set.of("XREAD", "XREADGROUP");
    /** Pub/sub commands: answered by one confirmation per channel (a push in RESP3). */
    public static final Set<String> PUBSUB = Set.of("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
        "PUNSUBSCRIBE", "SUNSUBSCRIBE");

    private BlockingCommands() {
    }

    /** What consuming {@code r} takes. */
    public static Consumption of(RespRequest r) {
        if (r.empty()) {
            return Consumption.NONE; // redis-server ignores it without a reply
        }
        String name = r.name();
        if (ALWAYS.contains(name) || WITH_BLOCK.contains(name) && hasBlock(r)) {
            return Consumption.BLOCKING;
        }
        if (PUBSUB.contains(name)) {
            return new Consumption((int) Math.max(1, Math.min(Integer.MAX_VALUE, r.argc() - 1)), false, true);
        }
        return Consumption.REPLY;
    }

    private static boolean hasBlock(RespRequest r) {
        for (int i = 1; i < r.args().size(); i++) {
            if ("BLOCK".equals(r.upper(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What consuming one request takes.
     *
     * @param replies  replies that consume it (0: consumed once written)
     * @param blocking whether the server listing its connection as blocked also consumes it
     * @param pubsub   whether RESP3 pushes count as its replies (pub/sub confirmations)
     */
    public record Consumption(int replies, boolean blocking, boolean pubsub) {
        /** Consumed once written (no reply comes: empty requests, unframed bytes). */
        public static final Consumption NONE = new Consumption(0, false, false);
        /** One reply. */
        public static final Consumption REPLY = new Consumption(1, false, false);
        /** One reply, or registered as blocked. */
        public static final Consumption BLOCKING = new Consumption(1, true, false);
    }
}
