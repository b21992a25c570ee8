/**
 * NCP's redirection planner: a pure Java 11 package (no ONOS imports) shared by the ONOS app and the standalone
 * {@code ncp-plan} tool. It holds its own graph model ({@link io.ncp.onos.planner.NetworkGraph}), the replication
 * spec ({@link io.ncp.onos.planner.ReplicationSpec}), deterministic shortest paths
 * ({@link io.ncp.onos.planner.RoutingTree}) and the LCA algorithm ({@link io.ncp.onos.planner.RedirectionPlanner})
 * whose output is a list of abstract {@link io.ncp.onos.planner.PlannedRule}s, rendered to ONOS FlowRules by the
 * app and to {@code ovs-ofctl} lines by {@link io.ncp.onos.planner.OvsFlowFormatter}.
 *
 * <p>All classes are immutable values or stateless functions; they are safe to share between threads.
 */
package io.ncp.onos.planner;
