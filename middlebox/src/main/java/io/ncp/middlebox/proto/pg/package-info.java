/**
 * PostgreSQL (protocol 3) request-aware replication: {@link io.ncp.middlebox.proto.pg.PgRequestFramer} (client
 * messages) and {@code PgRequestNumbers} (a Query, FunctionCall or Sync is a request, numbered as the server answers
 * them),
 * {@link io.ncp.middlebox.proto.pg.PgAnswerFilter} (a reply ends with ReadyForQuery; per-exchange digests and frame
 * counts), {@link io.ncp.middlebox.proto.pg.PgClientFilter} (the front's per-session filter: noise, replication
 * connections, the Flush rule), {@link io.ncp.middlebox.proto.pg.PgNoise} (per-server functions, request names).
 */
package io.ncp.middlebox.proto.pg;
