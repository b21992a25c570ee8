/** Tests of the failover package: the voters' majority rule, and peer voting over real HTTP and real probes. */
package io.ncp.middlebox.failover;
