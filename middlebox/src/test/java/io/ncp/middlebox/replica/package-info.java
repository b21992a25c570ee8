/** Replica side tests: a real ring feeding a real ReplicaSide whose replicas are in-JVM (local transport) servers. */
package io.ncp.middlebox.replica;
