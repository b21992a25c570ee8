/**
 * {@code ncp-plan}: the standalone planner command (main class of {@code onos-app/target/ncp-plan.jar}), for the
 * testbed, where no ONOS runs. Reads a topology and a spec file, prints {@code ovs-ofctl} lines or JSON.
 */
package io.ncp.onos.planner.cli;
