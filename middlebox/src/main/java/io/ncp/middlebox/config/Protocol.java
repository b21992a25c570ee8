package io.ncp.middlebox.config;

/**
 * A service's application protocol. It selects how each replica is authenticated with its own credentials
 * ({@link ReplicaAuth}) and which part of the answer streams is compared: with a protocol other than {@link #BYTES}
 * the authentication exchange is not replayed byte for byte, and answers are compared from the first byte after it.
 */
public enum Protocol {
    /** Plain byte replay (no authentication handling). */
    BYTES,
    /**
     * Redis RESP: leading {@code AUTH} / {@code HELLO} commands are rewritten per replica; requests and replies are
     * framed (replay policy {@link RedisPolicy}, noise model, lockstep per exchange).
     */
    REDIS,
    /**
     * PostgreSQL: the middlebox answers each replica's md5 / SCRAM-SHA-256 challenge itself; requests (Query, Sync)
     * and replies (up to ReadyForQuery) are framed (noise model, lockstep per exchange).
     */
    POSTGRES,
    /**
     * MySQL / MariaDB: the client's HandshakeResponse is rewritten per replica ({@code mysql_native_password});
     * commands and replies (OK, ERR, result sets, prepared statements) are framed (noise model, lockstep per exchange).
     */
    MYSQL,
    /**
     * HTTP/1.1: requests and responses are framed (lockstep per exchange; the {@code Date} and {@code Age} header
     * values are not compared). No authentication handling: replicas get the client's requests as they are.
     */
    HTTP;

    /** Whether replicas may have credentials of their own (the middlebox answers their authentication itself). */
    public boolean replicaAuth() {
        return this == REDIS || this == POSTGRES || this == MYSQL;
    }

    static Protocol parse(String field, String text) {
        return ConfigEnums.parse(Protocol.class, field, text);
    }
}
