/**
 * The socket front-end and primary path (HexDumpProxy-shaped): {@link io.ncp.middlebox.frontend.ClientHandler} on
 * the accepted client channel, {@link io.ncp.middlebox.frontend.PrimaryHandler} on the connection to the primary,
 * both on the shard's front event loop, which also owns the {@link io.ncp.middlebox.frontend.FrontSession} and is
 * the single producer of the shard's ring. Client bytes go to the primary at once (with {@code order: service}: through
 * the service's primary {@link io.ncp.middlebox.order.OrderGate}, a session's {@code PrimaryLane}); a retained
 * duplicate goes to the ring for the replicas; the primary's answers go back to the client and are digested for
 * comparison.
 */
package io.ncp.middlebox.frontend;
