/**
 * RUBiS-style auction workload for the NCP testbed: the SQL an auction site's application server sends
 * to its database (the traffic NCP replicates in the paper's RUBiS experiment), issued over JDBC.
 * {@code schema} creates and fills the public RUBiS schema deterministically, {@code workload} runs
 * emulated clients through the bidding mix, {@code stats} records latency, {@code compare} checks
 * replicas table by table.
 */
package io.ncp.rubis;
