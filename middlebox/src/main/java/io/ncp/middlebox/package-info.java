/** NCP middlebox: the replication appliance (front-ends, Disruptor fan-out, admin API, CLI). */
package io.ncp.middlebox;
