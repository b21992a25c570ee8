/**
 * Order on the servers. Causal session order on the replicas: per replica a
 * {@link io.ncp.middlebox.order.FinishLedger} of the ended sessions that finished there, and per replica copy a
 * {@link io.ncp.middlebox.order.CopyOrder} that holds its bytes until the sessions ended before its own opened have
 * finished. One request order per service ({@code order: service}, Redis): per server an
 * {@link io.ncp.middlebox.order.OrderGate} that writes the requests of all its connections
 * ({@link io.ncp.middlebox.order.OrderLane}s) in arrival order, a request of another connection once the earlier ones
 * were consumed ({@link io.ncp.middlebox.order.BlockingCommands}; blocked connections found by
 * {@link io.ncp.middlebox.order.BlockedProbe}).
 */
package io.ncp.middlebox.order;
