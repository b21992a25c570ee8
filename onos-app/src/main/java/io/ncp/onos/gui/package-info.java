/**
 * NCP's GUI view "NCP Replication" ({@code app/view/ncpFlow}): a table of host-to-host flows seen in the flow
 * tables ({@link io.ncp.onos.gui.HostFlowCollector}); selecting a row previews the plan for replicating it and a
 * "Replicate" action adds the spec ({@link io.ncp.onos.gui.NcpFlowViewMessageHandler}).
 */
package io.ncp.onos.gui;
