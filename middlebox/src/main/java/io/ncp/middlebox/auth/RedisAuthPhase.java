package io.ncp.middlebox.auth;

/**
 * Which leading requests of a Redis client stream belong to the authentication phase, as each replica's
 * {@link RedisAuthHandler} decides it: the front's request filter ({@code protocol: redis}) asks here about every
 * request while the phase lasts, so that it numbers requests and replies the way the replicas' answer streams show
 * them (the handler rewrites these requests and swallows the replicas' replies). The phase is the requests before the
 * first one that is not an authentication command; requests that never reach the replicas do not end it (the handler
 * never sees them). Stateless.
 */
public final class RedisAuthPhase {

    private RedisAuthPhase() {
    }

    /**
     * Whether a complete request, while the phase lasts, is one the handler treats as an authentication command: a
     * RESP array ({@code multibulk}) of 1 to 16 bulk strings, at most {@link Resp#MAX} bytes long, named {@code AUTH}
     * or {@code HELLO} (case-insensitive). Inline commands and empty requests end the phase.
     *
     * @param name   the command name
     * @param length the request's length in bytes
     */
    public static boolean isAuthCommand(String name, boolean multibulk, long argc, long length) {
        return multibulk && argc >= 1 && argc <= Resp.MAX_ARGS && length <= Resp.MAX
            && ("AUTH".equalsIgnoreCase(name) || "HELLO".equalsIgnoreCase(name));
    }
}
