package io.ncp.onos.impl;

import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;

/** What the NCP planner thread last did for one spec version: its installed plan, or why it could not plan it. */
final class InstalledPlan {

    private final ReplicationSpec spec;
    private final ReplicationPlan plan;
    private final String error;

    /** Exactly one of {@code plan} and {@code error} is non-null. */
    InstalledPlan(ReplicationSpec spec, ReplicationPlan plan, String error) {
        this.spec = spec;
        this.plan = plan;
        this.error = error;
    }

    /** The spec version that was planned. */
    ReplicationSpec spec() {
        return spec;
    }

    /** The installed plan, or null. */
    ReplicationPlan plan() {
        return plan;
    }

    /** The planning error, or null. */
    String error() {
        return error;
    }
}
