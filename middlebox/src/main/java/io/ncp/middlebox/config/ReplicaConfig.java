package io.ncp.middlebox.config;

/**
 * One replica of a service.
 *
 * @param address where the replica server listens
 * @param bind     optional local address for connections to this replica (dedicated replication NIC), or null
 * @param priority failover: among IN_SYNC replicas the highest priority is promoted (ties: the first listed)
 * @param auth     the replica's own credentials (by reference), or null: the client's authentication is replayed
 */
public record ReplicaConfig(HostPort address, String bind, int priority, ReplicaAuth auth) {

    /** A replica without credentials of its own. */
    public ReplicaConfig(HostPort address, String bind, int priority) {
        this(address, bind, priority, null);
    }

    /** A replica with priority 0. */
    public ReplicaConfig(HostPort address, String bind) {
        this(address, bind, 0);
    }

    /** Parses the CLI form {@code host:port} or {@code host:port@bindAddress}. */
    public static ReplicaConfig parse(String field, String text) {
        int at = text == null ? -1 : text.lastIndexOf('@');
        if (at < 0) {
            return new ReplicaConfig(HostPort.parse(field, text), null);
        }
        String bind = text.substring(at + 1).trim();
        if (bind.isEmpty()) {
            throw new ConfigException(field, "'" + text + "' has an empty bind address after '@'");
        }
        return new ReplicaConfig(HostPort.parse(field, text.substring(0, at)), bind);
    }

    /** A copy with credentials of its own (null: none). */
    public ReplicaConfig withAuth(ReplicaAuth a) {
        return new ReplicaConfig(address, bind, priority, a);
    }

    @Override
    public String toString() {
        return bind == null ? address.toString() : address + "@" + bind;
    }
}
