package io.ncp.middlebox.config;

import java.util.List;

/**
 * A {@code protocol: redis} service's replay policy (its optional {@code redis:} section). Each list
 * holds command patterns of one to three words, matched case-insensitively against a request's first arguments; for
 * {@code CONFIG SET} a third word matches any parameter the request sets. A list given in the file replaces its
 * default.
 *
 * @param noReplay      requests never sent to the replicas (the primary gets them; their answers are not compared)
 * @param notReplicated requests that end a session's replication (its replica copies close, uncompared)
 * @param noise         requests whose answers legitimately differ between two identical servers: not compared
 * @param order         the service's request order (the service's {@code order:} field; {@link RequestOrder#SESSION}
 *                      when null)
 */
public record RedisPolicy(List<String> noReplay, List<String> notReplicated,
        List<String> noise, RequestOrder order) {

    /** Default {@code redis.noReplay}: what moves, stops, re-points or kills a server or its clients. */
    public static final List<String> REDIS_NO_REPLAY = List.of(
        "CONFIG SET port", "CONFIG SET bind", "CONFIG SET bind-source-addr", "CONFIG SET unixsocket",
        "CONFIG SET unixsocketperm", "CONFIG SET dir", "CONFIG SET dbfilename", "CONFIG SET logfile",
        "CONFIG SET pidfile", "CONFIG SET replicaof", "CONFIG SET slaveof", "CONFIG SET masterauth",
        "CONFIG SET masteruser", "CONFIG SET tls-port", "CONFIG SET tls-cert-file", "CONFIG SET tls-key-file",
        "CONFIG SET cluster-config-file", "CONFIG SET appenddirname", "CONFIG SET aclfile", "CONFIG SET daemonize",
        "SHUTDOWN", "REPLICAOF", "SLAVEOF", "FAILOVER", "CLIENT KILL", "MODULE LOAD", "MODULE LOADEX",
        "MODULE UNLOAD", "DEBUG SEGFAULT", "DEBUG PANIC", "DEBUG RESTART", "DEBUG CRASH-AND-RECOVER", "DEBUG OOM",
        "DEBUG SLEEP", "DEBUG SET-ACTIVE-EXPIRE");
    /** Default {@code redis.notReplicated}: a replica attaching (SYNC, PSYNC) and MONITOR. */
    public static final List<String> REDIS_NOT_REPLICATED = List.of("SYNC", "PSYNC", "MONITOR");
    /** Default {@code redis.noise}: answers with run ids, client ids, addresses, ports, timings, random picks. */
    public static final List<String> REDIS_NOISE = List.of(
        "INFO", "CLIENT LIST", "CLIENT ID", "CLIENT INFO", "CLIENT GETREDIR", "TIME", "RANDOMKEY", "LASTSAVE",
        "CONFIG GET", "ROLE", "HELLO", "LOLWUT", "MEMORY", "SLOWLOG", "LATENCY", "DEBUG OBJECT", "OBJECT IDLETIME",
        "OBJECT FREQ", "SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER", "ACL LOG", "WAIT", "WAITAOF", "COMMAND DOCS");

    /** The default lists (used whenever the service has no {@code redis:} section). */
    public static final RedisPolicy DEFAULTS = new RedisPolicy(REDIS_NO_REPLAY, REDIS_NOT_REPLICATED, REDIS_NOISE);

    public RedisPolicy {
        noReplay = List.copyOf(noReplay);
        notReplicated = List.copyOf(notReplicated);
        noise = List.copyOf(noise);
        if (order == null) {
            order = RequestOrder.SESSION;
        }
    }

    /** A policy with each session's own request order. */
    public RedisPolicy(List<String> noReplay, List<String> notReplicated, List<String> noise) {
        this(noReplay, notReplicated, noise, RequestOrder.SESSION);
    }

    /** A copy with another request order. */
    public RedisPolicy withOrder(RequestOrder o) {
        return new RedisPolicy(noReplay, notReplicated, noise, o);
    }
}
