package io.ncp.onos.api;

import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;

import java.util.Optional;

/**
 * A snapshot of one spec's state: the plan whose rules are installed (empty when the last planning failed, e.g.
 * after a link went down with no other path, then {@link #planningError()} says why), and the state of its push
 * to the middlebox admin API. Immutable.
 */
public final class ReplicationStatus {

    /** Where the spec's push to the middlebox admin API stands. */
    public enum PushState {
        /** The spec has no admin address: nothing is pushed. */
        NOT_CONFIGURED,
        /** A push is queued or being retried. */
        PENDING,
        /** The middlebox accepted the spec. */
        PUSHED,
        /** The middlebox answered 4xx (a bad spec for it): not retried, see {@link #pushError()}. */
        REJECTED
    }

    private final ReplicationSpec spec;
    private final ReplicationPlan plan;
    private final String planningError;
    private final int installedRules;
    private final PushState pushState;
    private final String pushError;
    private final int pushAttempts;

    /** A status snapshot; {@code plan}, {@code planningError} and {@code pushError} may be null. */
    public ReplicationStatus(ReplicationSpec spec, ReplicationPlan plan, String planningError, int installedRules,
                             PushState pushState, String pushError, int pushAttempts) {
        this.spec = spec;
        this.plan = plan;
        this.planningError = planningError;
        this.installedRules = installedRules;
        this.pushState = pushState;
        this.pushError = pushError;
        this.pushAttempts = pushAttempts;
    }

    /** The spec. */
    public ReplicationSpec spec() {
        return spec;
    }

    /** The installed plan; empty when the spec cannot be planned on the current topology. */
    public Optional<ReplicationPlan> plan() {
        return Optional.ofNullable(plan);
    }

    /** Why the last planning failed, or null. */
    public String planningError() {
        return planningError;
    }

    /** Number of flow rules currently submitted for the spec. */
    public int installedRules() {
        return installedRules;
    }

    /** The middlebox push state. */
    public PushState pushState() {
        return pushState;
    }

    /** The last push failure, or null. */
    public String pushError() {
        return pushError;
    }

    /** Push attempts made for the current version of the spec. */
    public int pushAttempts() {
        return pushAttempts;
    }
}
