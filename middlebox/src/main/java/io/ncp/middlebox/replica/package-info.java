/**
 * The replica side of a shard, all on its replica event loop: {@link io.ncp.middlebox.replica.ReplicaSide} consumes
 * the ring, keeps a {@link io.ncp.middlebox.replica.ReplicaSession} per replicated session and, in it, a
 * {@link io.ncp.middlebox.replica.ReplicaCopy} per replica: its connection, bounded backlog, FIN/reset handling and
 * answer comparison. A copy that cannot receive every byte in order is marked damaged and reset, never patched.
 * Session order ({@link io.ncp.middlebox.order.CopyOrder}): a copy holds its bytes until the sessions that ended
 * before its own opened have finished on its replica, and reports its own end once finished or caught up. With
 * {@code order: service} a copy's requests go through its replica's {@link io.ncp.middlebox.order.OrderGate} on this
 * loop (its {@code CopyLane}). A resync's snapshot point replaces a replica's copies by resync copies that record into
 * the catch-up journal until the replay; a PostgreSQL session held idle at the point goes on as a resync copy that
 * records its StartupMessage first ({@code Continuation}), logs in with the replica's credentials and is compared from
 * the point on.
 */
package io.ncp.middlebox.replica;
