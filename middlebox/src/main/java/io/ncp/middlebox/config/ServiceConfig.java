package io.ncp.middlebox.config;

import java.util.List;

/**
 * One replicated service: a listener, its primary and its replicas.
 *
 * @param name           unique service name (admin API key, metric label)
 * @param listen         where client connections arrive (port 0 = any free port); null for a mirrored service
 *                       (mirror mode: the primary gets the clients directly, a capture feeds the replicas)
 * @param primary        the primary server; its answers go back to the client
 * @param mode           replication mode: {@code async} (replicas never slow the client) or {@code lockstep}
 *                       (the client receives answer byte k once every live replica has produced byte k)
 * @param compare        how replica answers are compared with the primary's
 * @param replicaBacklog per replica and session: bytes queued for the replica before its copy is dropped as lagging
 * @param replicas       zero or more replicas
 * @param sessionOrder   whether a session that opened after another ended waits for it on each replica
 * @param transparency   whether the listener (and the primary connection) use IP_TRANSPARENT sockets
 * @param maxSessions    sessions open at once before new clients are refused (0: only the middlebox's descriptor
 *                       budget limits them)
 * @param failover       probes of the primary and the replicas, and failover; null: neither
 * @param protocol       the application protocol: selects the replicas' authentication handler and the answer
 *                       mask ({@link Protocol#BYTES}: plain byte replay); {@link Protocol#REDIS} also frames
 *                       requests and replies (replay policy, noise model, lockstep per exchange)
 * @param tls            TLS towards clients and/or backends (in-path only); null: plaintext everywhere
 * @param resync         how a STALE replica is resynced online (hooks, pause bounds, autoResync); null: it is not
 * @param redis          the replay policy of a {@link Protocol#REDIS} service (null: {@link RedisPolicy#DEFAULTS});
 *                       unused for other protocols
 */
public record ServiceConfig(String name, HostPort listen, HostPort primary, String mode, CompareMode compare,
        long replicaBacklog, List<ReplicaConfig> replicas, SessionOrder sessionOrder, Transparency transparency,
        int maxSessions, FailoverConfig failover, Protocol protocol,
        TlsConfig tls, ResyncConfig resync, RedisPolicy redis) {

    /** Default per-replica, per-session backlog. */
    public static final long DEFAULT_BACKLOG = 64L << 20;

    public ServiceConfig {
        replicas = List.copyOf(replicas);
        if (sessionOrder == null) {
            sessionOrder = SessionOrder.CAUSAL;
        }
        if (transparency == null) {
            transparency = Transparency.NONE;
        }
        if (protocol == null) {
            protocol = Protocol.BYTES;
        }
        if (redis == null) {
            redis = RedisPolicy.DEFAULTS;
        }
        if (maxSessions < 0) {
            throw new ConfigException("maxSessions", "'" + maxSessions + "' must be 0 (no limit of its own) or more");
        }
    }

    /** A plain byte-replay service without TLS. */
    public ServiceConfig(String name, HostPort listen, HostPort primary, String mode, CompareMode compare,
            long replicaBacklog, List<ReplicaConfig> replicas, SessionOrder sessionOrder, Transparency transparency,
            int maxSessions, FailoverConfig failover) {
        this(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder, transparency, maxSessions,
            failover, Protocol.BYTES, null, null, null);
    }

    /** A service with an ordinary (not transparent) listener. */
    public ServiceConfig(String name, HostPort listen, HostPort primary, String mode, CompareMode compare,
            long replicaBacklog, List<ReplicaConfig> replicas, SessionOrder sessionOrder) {
        this(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder, Transparency.NONE, 0,
            null, Protocol.BYTES, null, null, null);
    }

    /** A service with the default session order ({@link SessionOrder#CAUSAL}). */
    public ServiceConfig(String name, HostPort listen, HostPort primary, String mode, CompareMode compare,
            long replicaBacklog, List<ReplicaConfig> replicas) {
        this(name, listen, primary, mode, compare, replicaBacklog, replicas, SessionOrder.CAUSAL);
    }

    /** A copy with another session order. */
    public ServiceConfig withSessionOrder(SessionOrder order) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, order, transparency,
            maxSessions, failover, protocol, tls, resync, redis);
    }

    /** A copy with another transparency setting. */
    public ServiceConfig withTransparency(Transparency t) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder, t,
            maxSessions, failover, protocol, tls, resync, redis);
    }

    /** A copy with another session limit (0: only the descriptor budget). */
    public ServiceConfig withMaxSessions(int max) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder,
            transparency, max, failover, protocol, tls, resync, redis);
    }

    /** A copy with other failover settings (null: no probes, no failover). */
    public ServiceConfig withFailover(FailoverConfig f) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder,
            transparency, maxSessions, f, protocol, tls, resync, redis);
    }

    /** A copy with another protocol (authentication handler and answer mask). */
    public ServiceConfig withProtocol(Protocol p) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder,
            transparency, maxSessions, failover, p, tls, resync, redis);
    }

    /** A copy with other TLS settings (null: none). */
    public ServiceConfig withTls(TlsConfig t) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder,
            transparency, maxSessions, failover, protocol, t, resync, redis);
    }

    /** A copy with other resync settings (null: no online resync). */
    public ServiceConfig withResync(ResyncConfig r) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder,
            transparency, maxSessions, failover, protocol, tls, r, redis);
    }

    /** A copy with another Redis replay policy (null: the defaults). */
    public ServiceConfig withRedis(RedisPolicy r) {
        return new ServiceConfig(name, listen, primary, mode, compare, replicaBacklog, replicas, sessionOrder,
            transparency, maxSessions, failover, protocol, tls, resync, r);
    }

    /** The primary, then every replica's address. */
    public List<HostPort> backends() {
        List<HostPort> all = new java.util.ArrayList<>();
        all.add(primary);
        for (ReplicaConfig r : replicas) {
            all.add(r.address());
        }
        return all;
    }

    /** Whether the requests of all sessions share one order ({@code order: service}, {@code protocol: redis}). */
    public boolean serviceOrder() {
        return protocol == Protocol.REDIS && redis.order() == RequestOrder.SERVICE;
    }

    /**
     * Whether the sessions speak PostgreSQL: {@code protocol: postgres}, or {@code compare: postgres} with byte replay.
     * A resync's snapshot point continues their idle sessions over new connections (docs/resync.md).
     */
    public boolean postgresSessions() {
        return protocol == Protocol.POSTGRES || protocol == Protocol.BYTES && compare == CompareMode.POSTGRES;
    }

    /** Whether answers are held until the replicas have produced them too. */
    public boolean lockstep() {
        return "lockstep".equals(mode);
    }
}
