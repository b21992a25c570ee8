/**
 * JMH microbenchmarks of the data path: {@link io.ncp.jmh.RingBenchmark} (a shard's ring, publish and poll),
 * {@link io.ncp.jmh.DigestBenchmark} (answer digests, {@code BlockDigester}) and {@link io.ncp.jmh.ReassemblyBenchmark}
 * (replay's {@code TcpReassembler}). Run by {@code scripts/jmh.sh}, which writes the figures under {@code docs/perf/};
 * never part of the tests (no timed assertions anywhere).
 */
package io.ncp.jmh;
