/**
 * Integration tests: the middlebox in-process between real servers (Redis, PostgreSQL, iperf3) on loopback, plus
 * fault injection. Each test starts and stops its own servers on free ports.
 */
package io.ncp.middlebox.it;
