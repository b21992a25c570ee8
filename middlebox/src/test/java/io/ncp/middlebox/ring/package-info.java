/** Ring tests with a real Disruptor RingBuffer, real event loops and latches with timeouts. */
package io.ncp.middlebox.ring;
