/**
 * Causal session order on the replicas: per replica a {@link io.ncp.middlebox.order.FinishLedger} of the ended
 * sessions that finished there, and per replica copy a {@link io.ncp.middlebox.order.CopyOrder} that holds its bytes
 * until the sessions ended before its own opened have finished.
 */
package io.ncp.middlebox.order;
