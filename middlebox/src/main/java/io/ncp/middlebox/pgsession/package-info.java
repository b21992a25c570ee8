/**
 * PostgreSQL session tracking at the front, for the online resync: {@link io.ncp.middlebox.pgsession.PgSessionTracker}
 * follows one session's messages in both directions (the ReadyForQuery status, requests still unanswered, the
 * StartupMessage, the plain session SETs to replay) and says whether the session is idle and holds no server state a
 * new connection would lack; {@link io.ncp.middlebox.pgsession.StatefulSql} tells which SQL creates such state,
 * {@link io.ncp.middlebox.pgsession.SessionSet} which SET is plain enough to be replayed instead. Conservative: what
 * is not understood counts as state. A leaf (Netty buffers only); small on purpose, to be replaced by a full
 * PostgreSQL request framer.
 */
package io.ncp.middlebox.pgsession;
