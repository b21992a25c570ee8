package io.ncp.onos.api;

import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;

import java.util.List;
import java.util.Optional;

/**
 * Replication specs on the ONOS controller: each one redirects the selected client→primary sessions to the NCP
 * middlebox at their RedirectionSwitch (see {@link io.ncp.onos.planner.RedirectionPlanner}), keeps the rules
 * right while the topology and hosts change, and pushes the spec to the middlebox admin API.
 *
 * <p>Thread-safe; callers may be CLI, REST or GUI threads. Rule installation and middlebox pushes happen
 * asynchronously on the app's own threads, never on the caller's.
 */
public interface NcpService {

    /** The ONOS application name. */
    String APP_NAME = "io.ncp.app";

    /**
     * Adds or replaces the spec with this name: plans it on the current topology (so an unplannable spec is
     * rejected right away), then installs its rules and pushes it to the middlebox in the background.
     *
     * @return the plan that will be installed
     * @throws PlanningException when it cannot be planned now (nothing is stored then)
     */
    ReplicationPlan addReplication(ReplicationSpec spec);

    /**
     * Removes a spec: its rules are removed and the middlebox service deleted (in the background).
     *
     * @return false when no spec has this name
     */
    boolean removeReplication(String name);

    /** All specs, by name. */
    List<ReplicationSpec> getReplications();

    /** The spec with this name. */
    Optional<ReplicationSpec> getReplication(String name);

    /** What is installed for the spec with this name (its current plan or planning error, and push state). */
    Optional<ReplicationStatus> getStatus(String name);

    /**
     * Plans {@code spec} on the current topology without installing anything (preview).
     *
     * @throws PlanningException when it cannot be planned
     */
    ReplicationPlan plan(ReplicationSpec spec);
}
