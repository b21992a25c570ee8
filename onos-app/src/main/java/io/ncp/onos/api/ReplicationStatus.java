package io.ncp.onos.api;

import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one spec's state: the plan whose rules are installed (empty when the last planning failed, e.g.
 * after a link went down with no other path, then {@link #planningError()} says why), whether its redirection is
 * suspended because its middlebox stopped answering (fail-open), and the state of its push to the middlebox admin
 * API. Immutable.
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
        /** The middlebox answered 4xx other than 401 (a bad spec for it): not retried, see {@link #pushError()}. */
        REJECTED,
        /**
         * The admin token file is missing, unreadable, empty or malformed (see {@link #pushError()}): retried with
         * the doubling delay, re-reading the file each time (the middlebox may not have created it yet).
         */
        TOKEN_ERROR,
        /**
         * The middlebox answered 401: it refused the admin token (or none was configured). Retried at the client's
         * maximum delay, re-reading the token file each time; a changed spec is pushed at once.
         */
        TOKEN_REFUSED
    }

    /** Where the spec's redirection rules stand. */
    public enum RedirectState {
        /** Planned; its rules are installed. */
        INSTALLED,
        /** It cannot be planned on the current topology: no rules, see {@link #planningError()}. */
        NOT_PLANNED,
        /**
         * Its middlebox stopped answering {@code GET /health}: its rules are removed, clients reach the primary
         * directly (replicas miss those sessions) until the middlebox answers again and accepts the re-push.
         */
        FAIL_OPEN
    }

    private final ReplicationSpec spec;
    private final ReplicationPlan plan;
    private final String planningError;
    private final int installedRules;
    private final PushState pushState;
    private final String pushError;
    private final int pushAttempts;
    private final Instant failOpenSince;
    private final int failOpenEvents;

    /**
     * A status snapshot; {@code plan}, {@code planningError}, {@code pushError} and {@code failOpenSince} may be
     * null.
     *
     * @param failOpenSince  when the spec entered fail-open, or null when it is not in fail-open
     * @param failOpenEvents how many times the spec entered fail-open
     */
    public ReplicationStatus(ReplicationSpec spec, ReplicationPlan plan, String planningError, int installedRules,
                             PushState pushState, String pushError, int pushAttempts, Instant failOpenSince,
                             int failOpenEvents) {
        this.spec = spec;
        this.plan = plan;
        this.planningError = planningError;
        this.installedRules = installedRules;
        this.pushState = pushState;
        this.pushError = pushError;
        this.pushAttempts = pushAttempts;
        this.failOpenSince = failOpenSince;
        this.failOpenEvents = failOpenEvents;
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

    /** FAIL_OPEN while the spec is in fail-open, else INSTALLED when it has a plan, else NOT_PLANNED. */
    public RedirectState redirectState() {
        if (failOpenSince != null) {
            return RedirectState.FAIL_OPEN;
        }
        return plan != null ? RedirectState.INSTALLED : RedirectState.NOT_PLANNED;
    }

    /** When the current fail-open period started, or null when the spec is not in fail-open. */
    public Instant failOpenSince() {
        return failOpenSince;
    }

    /** How many times the spec entered fail-open since it was added (or the app started). */
    public int failOpenEvents() {
        return failOpenEvents;
    }
}
