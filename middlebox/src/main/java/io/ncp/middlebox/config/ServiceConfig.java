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
 */
public record ServiceConfig(String name, HostPort listen, HostPort primary, String mode, CompareMode compare,
        long replicaBacklog, List<ReplicaConfig> replicas) {

    /** Default per-replica, per-session backlog. */
    public static final long DEFAULT_BACKLOG = 64L << 20;

    public ServiceConfig {
        replicas = List.copyOf(replicas);
    }

    /** Whether answers are held until the replicas have produced them too. */
    public boolean lockstep() {
        return "lockstep".equals(mode);
    }
}
