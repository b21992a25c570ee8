/**
 * {@code ncp-middlebox demo}: a self-contained run on loopback. Three {@link io.ncp.middlebox.demo.KvServer}s (a
 * tiny key-value server speaking a RESP subset, so redis tools can talk to it too) or real redis-servers play
 * primary and replicas; {@link io.ncp.middlebox.demo.DemoDriver} drives concurrent sessions of random writes
 * through the middlebox; the digests of the three servers are then compared.
 */
package io.ncp.middlebox.demo;
