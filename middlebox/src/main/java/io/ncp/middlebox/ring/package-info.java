/**
 * The per-shard replication ring: a Disruptor {@link com.lmax.disruptor.RingBuffer} of preallocated
 * {@link io.ncp.middlebox.ring.ReplicationEvent}s with exactly one producer (the shard's front event loop) and one
 * consumer (the shard's replica side, drained by an {@link com.lmax.disruptor.EventPoller} on the replica event
 * loop). {@link io.ncp.middlebox.ring.ShardRing} never blocks the producer: a full ring (or too many in-flight
 * payload bytes) refuses data, and control events wait in a small producer-side queue until space returns. With
 * {@code ringFull: throttle}, {@link io.ncp.middlebox.ring.RingThrottle} has the front stop reading clients while
 * the ring is over half full, instead of refusing their bytes.
 */
package io.ncp.middlebox.ring;
