/**
 * NCP's ONOS service API: {@link io.ncp.onos.api.NcpService} (replication specs, their plans and status), used by
 * the CLI, REST and GUI layers and implemented by {@code io.ncp.onos.impl.NcpManager}.
 */
package io.ncp.onos.api;
