package io.ncp.middlebox.service;

/** Health of one replica as seen by the middlebox. */
public enum ReplicaState {
    /** Connections succeed and keep up. */
    UP,
    /** A recent session copy overflowed its backlog (the replica is slower than the primary). */
    LAGGING,
    /** Connecting failed or a connection was lost; new sessions skip it until the retry backoff elapses. */
    DOWN
}
