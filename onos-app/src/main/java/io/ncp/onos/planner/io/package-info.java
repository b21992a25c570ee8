/**
 * JSON/YAML forms of the planner's inputs and outputs (Jackson only, no ONOS): the spec ({@link
 * io.ncp.onos.planner.io.SpecJson}, also the REST body and netcfg entry), the topology file ({@link
 * io.ncp.onos.planner.io.TopologyJson}), the plan ({@link io.ncp.onos.planner.io.PlanJson}) and the service object
 * pushed to the middlebox admin API ({@link io.ncp.onos.planner.io.MiddleboxServiceJson}). Readers throw
 * {@link io.ncp.onos.planner.SpecException} naming the field path. Formats: docs/plan-format.md.
 */
package io.ncp.onos.planner.io;
