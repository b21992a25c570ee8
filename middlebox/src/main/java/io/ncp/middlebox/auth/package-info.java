/**
 * Per-replica authentication (the paper's R6): each replica can have its own credentials
 * ({@link io.ncp.middlebox.config.ReplicaAuth}); the client authenticates to the primary unchanged, and an
 * {@link io.ncp.middlebox.auth.AuthHandler} in each replica connection's pipeline performs that replica's
 * authentication itself (Redis {@code AUTH}/{@code HELLO} rewritten, PostgreSQL md5 / SCRAM-SHA-256 answered,
 * MySQL/MariaDB HandshakeResponse rewritten), swallowing the client's own authentication messages and the replica's
 * authentication answers, then passes the session through from the client's first byte after authentication. The
 * answer filters here ({@link io.ncp.middlebox.auth.AuthFilters}) skip the same phase in the primary's answers, so
 * comparison starts after authentication. Handlers and filters are single-threaded: each is owned by the event loop
 * of its channel or stream.
 */
package io.ncp.middlebox.auth;
